#!/usr/bin/env bash
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'java' "/proc/$server/comm"; do
  server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
snap() { for t in /proc/$server/task/*; do printf '%s\t%s\n' "$(cat $t/comm)" "$(awk '{ sub(/^.*\) /, ""); print $12+$13, $8 }' $t/stat)"; done | awk -F'\t' '{split($2,a," "); c[$1]+=a[1]; f[$1]+=a[2]} END {for (k in c) print k"\t"c[k]"\t"f[k]}' | sort; }
for i in 1 2 3; do snap > /tmp/lead/s0; rm -f /tmp/lead/out.img; nbdcopy -- "$1" /tmp/lead/out.img; snap > /tmp/lead/s1
 echo "copy $i:"; join -t$'\t' /tmp/lead/s0 /tmp/lead/s1 | awk -F'\t' '$4-$2>0 || $5-$3>0 {printf "  %-20s cpu %4d ms flt %d\n", $1, ($4-$2)*10, $5-$3}'
done
