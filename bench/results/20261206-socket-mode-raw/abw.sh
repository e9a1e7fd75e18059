#!/bin/bash
# abw.sh URI LABEL: fill, one untimed overwrite, one timed nbdcopy overwrite with 4 conns; MB/s and server ms/GiB
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
s0=$(ticks $pid); t0=$EPOCHREALTIME
nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
t1=$EPOCHREALTIME; s1=$(ticks $pid)
awk -v a=$t0 -v z=$t1 -v c=$((s1-s0)) -v l=$label 'BEGIN { printf "%s write-over %.0f %.0f\n", l, 1073.741824/(z-a), c*10 }'
