#!/bin/bash
uri=$1
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
show() { for f in /proc/$pid/fd/*; do l=$(readlink $f); case "$l" in socket:*) fd=${f##*/}; fl=$(awk '/^flags:/{print $2}' /proc/$pid/fdinfo/$fd); echo "$1 fd $fd nonblock=$(( (8#$fl & 8#4000) != 0 ))";; esac; done; }
for pass in 1 2 3; do
(sleep 1; show pass$pass) &
fio --name=w --ioengine=nbd --uri="$uri" --rw=${RW:-randread} --bs=4k --iodepth=${QD:-16} --time_based --runtime=2 --norandommap --randrepeat=0 >/dev/null
wait
done
