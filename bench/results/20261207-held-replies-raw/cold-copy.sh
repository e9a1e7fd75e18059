#!/usr/bin/env bash
# cold-copy.sh SRC: one copy of SRC served by the server this runs under (--run), with the server's
# per-thread CPU (ms) and minor faults during it, on one line
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'java|nbdkit' "/proc/$server/comm"; do
  server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
snap() { for t in /proc/$server/task/*; do printf '%s\t%s\n' "$(cat $t/comm)" "$(awk '{ sub(/^.*\) /, ""); print $12+$13, $8 }' $t/stat)"; done | awk -F'\t' '{split($2,a," "); c[$1]+=a[1]; f[$1]+=a[2]} END {for (k in c) print k"\t"c[k]"\t"f[k]}' | sort; }
snap > $RAW/s0; rm -f $RAW/out.img; t0=$EPOCHREALTIME; nbdcopy -- "$1" $RAW/out.img; t1=$EPOCHREALTIME; snap > $RAW/s1
printf '%.0f ms:' "$(awk -v a=$t0 -v z=$t1 'BEGIN { print (z-a)*1000 }')"
join -t$'\t' $RAW/s0 $RAW/s1 | awk -F'\t' '$4-$2>0 {printf " %s=%d", $1, ($4-$2)*10} $5-$3>100 {printf "(%df)", $5-$3}'; echo
