#!/usr/bin/env bash
# sparse-cost.sh SERVER-CMD...: per copy: ms, server CPU ms, server minor faults, server voluntary ctx switches
src=${SRC:-/tmp/lead/sparse-1G.img} n=${N:-4}
cat > /tmp/lead/copies2.sh <<'EOS'
#!/usr/bin/env bash
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$server/comm"; do
  server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
if child=$(pgrep -P "$server" -x nbdkit); then server=$child; fi
st() { awk '{ sub(/^.*\) /, ""); print $8, $12 + $13 }' "/proc/$server/stat"; }
for i in $(seq $N); do rm -f /tmp/lead/out.img; read f0 c0 < <(st); t0=$EPOCHREALTIME; nbdcopy -- "$1" /tmp/lead/out.img; t1=$EPOCHREALTIME
  read f1 c1 < <(st)
  awk -v a=$t0 -v z=$t1 -v c=$((c1-c0)) -v f=$((f1-f0)) 'BEGIN { printf "%.0fms/%dcpu/%dflt  ", (z-a)*1000, c*10, f }'; done; echo
EOS
chmod +x /tmp/lead/copies2.sh
N=$n "$@" -U - file "$src" --run '/tmp/lead/copies2.sh "$uri"'
