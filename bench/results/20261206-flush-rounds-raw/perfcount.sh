#!/bin/bash
# perfcount.sh LABEL NBD4J: fdatasync calls per client flush on fsync-4conn (5 s)
F=/tmp/e-rounds/disk.img
d=$(mktemp -d /tmp/e-rounds/p.XXXX)
$2 -f -U $d/sock -P $d/pid --filter=multi-conn file file=$F multi-conn-mode=emulate >$d/srv.log 2>&1 &
for i in $(seq 600); do [ -s $d/pid ] && break; sleep 0.1; done
pid=$(cat $d/pid)
perf stat -e syscalls:sys_enter_fdatasync -p $pid -o $d/perf.txt & ppid=$!; sleep 0.3
fio --name=x --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --group_reporting --time_based --runtime=5 --norandommap --randrepeat=0 \
  --rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1 --output-format=json --output=$d/fio.json >/dev/null 2>&1
sleep 0.2; kill -INT $ppid; wait $ppid
fl=$(python3 -c "import json;j=json.load(open('$d/fio.json'))['jobs'][0];print(j['sync']['total_ios'])")
fd=$(awk '/fdatasync/{gsub(",","",$1);print $1}' $d/perf.txt)
echo "$1 client_flushes=$fl fdatasync=$fd per_flush=$(python3 -c "print(round($fd/$fl,3))")"
kill $pid; wait $pid 2>/dev/null; rm -rf $d
