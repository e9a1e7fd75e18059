# Sourced by bench/run and bench/floor, so both lay out the sparse-copy rows' files alike.
#
# write_sparse_file FILE BYTES DATA PIECES: makes FILE a sparse file of BYTES holding the file DATA in
# PIECES equal pieces spread over it, each piece at a different place within its share (so that the
# holes between pieces differ in size).
write_sparse_file() {
  local file=$1 bytes=$2 data=$3 pieces=$4 piece stride i
  piece=$(($(stat -c %s "$data") / pieces))
  stride=$((bytes / piece / pieces))  # in pieces
  truncate -s "$bytes" "$file" || return 1
  for ((i = 0; i < pieces; i++)); do
    dd if="$data" of="$file" bs="$piece" skip="$i" count=1 conv=notrunc status=none \
       seek=$((i * stride + i * 37 % (stride - 1))) || return 1
  done
}
