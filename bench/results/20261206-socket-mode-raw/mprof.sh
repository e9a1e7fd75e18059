#!/bin/bash
# wprof.sh URI LABEL: perf record the whole machine for 4 s of fio randwrite QD16 4k (after 2 s warm)
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
if c=$(pgrep -P "$pid" -x nbdkit); then pid=$c; fi
[ "${label#*memory}" != "$label" ] && nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
fio --name=w --ioengine=nbd --uri="$uri" --rw=write --bs=1m --iodepth=4 --time_based --runtime=2 --norandommap --randrepeat=0 >/dev/null
fio --name=w --ioengine=nbd --uri="$uri" --rw=write --bs=1m --iodepth=4 --time_based --runtime=5 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/m-$label.json >/dev/null &
sleep 0.5
perf record -q -a -g -o /tmp/lead/mperf-$label.data -- sleep 4 2>/dev/null
perf stat -e raw_syscalls:sys_enter,context-switches -p $pid -- sleep 1 2> /tmp/lead/mstat-$label.txt
echo "server pid $pid" >> /tmp/lead/mstat-$label.txt
wait
