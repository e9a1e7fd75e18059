#!/bin/bash
# wprof.sh URI LABEL: perf record the whole machine for 4 s of fio (after 2 s warm): 4 KiB randwrite QD16,
# or with FIO_ARGS="--rw=write --bs=1m --iodepth=4" the 1 MiB sequential write at QD4 (mprof-*.txt)
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
if c=$(pgrep -P "$pid" -x nbdkit); then pid=$c; fi
[ "${label#*memory}" != "$label" ] && nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
fio --name=w --ioengine=nbd --uri="$uri" ${FIO_ARGS:---rw=randwrite --bs=4k --iodepth=16} --time_based --runtime=2 --norandommap --randrepeat=0 >/dev/null
fio --name=w --ioengine=nbd --uri="$uri" ${FIO_ARGS:---rw=randwrite --bs=4k --iodepth=16} --time_based --runtime=5 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/w-$label.json >/dev/null &
sleep 0.5
perf record -q -a -g -o /tmp/lead/wperf-$label.data -- sleep 4 2>/dev/null
perf stat -e raw_syscalls:sys_enter,context-switches -p $pid -- sleep 1 2> /tmp/lead/wstat-$label.txt
echo "server pid $pid" >> /tmp/lead/wstat-$label.txt
wait
