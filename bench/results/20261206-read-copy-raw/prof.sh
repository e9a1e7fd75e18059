#!/bin/bash
# prof.sh LABEL: perf record the server for 4 s of fio randread QD16 4k (after fill and 1 s warm)
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
[ "$label" = memory ] && nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
fio --name=w --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --time_based --runtime=2 --norandommap --randrepeat=0 >/dev/null
fio --name=w --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --time_based --runtime=5 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/p-$label.json >/dev/null &
sleep 0.5
perf record -q -g -p $pid -o /tmp/lead/perf-$label.data -- sleep 4 2>/dev/null
perf stat -e raw_syscalls:sys_enter,context-switches -p $pid -- sleep 1 2> /tmp/lead/stat-$label.txt
wait
