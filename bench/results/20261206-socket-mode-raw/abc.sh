#!/bin/bash
# abc.sh URI LABEL: fill, one untimed copy, one timed nbdcopy read to null: with 4 conns; prints MB/s and server CPU ms/GiB
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
nbdcopy --no-extents --connections=4 -- "$uri" null:
s0=$(ticks $pid); t0=$EPOCHREALTIME
nbdcopy --no-extents --connections=4 -- "$uri" null:
t1=$EPOCHREALTIME; s1=$(ticks $pid)
awk -v a=$t0 -v z=$t1 -v c=$((s1-s0)) -v l=$label 'BEGIN { printf "%s read-c4 %.0f %.0f\n", l, 1073.741824/(z-a), c*10 }'
