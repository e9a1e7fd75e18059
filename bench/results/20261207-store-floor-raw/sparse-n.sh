#!/usr/bin/env bash
# sparse-n.sh SERVER-CMD... : N copies of the sparse file served by a fresh server, each copy's ms
src=${SRC:-/tmp/lead/sparse-1G.img} n=${N:-10}
cat > /tmp/lead/copies.sh <<EOS
#!/usr/bin/env bash
for i in \$(seq $n); do rm -f /tmp/lead/out.img; t0=\$EPOCHREALTIME; nbdcopy -- "\$1" /tmp/lead/out.img; t1=\$EPOCHREALTIME
  awk -v a=\$t0 -v z=\$t1 'BEGIN { printf "%.1f ", (z-a)*1000 }'; done; echo
EOS
chmod +x /tmp/lead/copies.sh
"$@" -U - file "$src" --run '/tmp/lead/copies.sh "$uri"'
