#!/bin/bash
# pcold.sh URI: two nbdcopy reads to null: (4 conns) through the proxy; per pass: wall, server CPU by thread group, minor faults
uri=$1
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
snap() { for t in /proc/$pid/task/*; do c=$(cat $t/comm); awk -v c="$c" '{ sub(/^.*\) /, ""); print c "\t" $12+$13 }' $t/stat; done | awk -F'\t' '{ g=$1; sub(/[0-9#-]+$/, "", g); s[g]+=$2 } END { for (g in s) print g "\t" s[g] }' | sort; }
flt() { awk '{ sub(/^.*\) /, ""); print $8 }' /proc/$pid/stat; }
for pass in cold warm; do
  snap > /tmp/lead/s0; f0=$(flt); t0=$EPOCHREALTIME
  nbdcopy --no-extents --connections=4 -- "$uri" null:
  t1=$EPOCHREALTIME; snap > /tmp/lead/s1; f1=$(flt)
  echo "$pass wall $(awk -v a=$t0 -v z=$t1 'BEGIN{printf "%.3f", z-a}') s minflt $((f1-f0))"
  join -t $'\t' /tmp/lead/s0 /tmp/lead/s1 | awk -F'\t' '$3-$2 > 0 { printf "  %s %d ms\n", $1, ($3-$2)*10 }'
done
