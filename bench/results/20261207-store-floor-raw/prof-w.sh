#!/usr/bin/env bash
# prof-w.sh: perf profile of the server during fio 4k randwrite QD16 (run under --run)
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'nbdkit|java|store_floor' "/proc/$server/comm"; do
  server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
f() { fio --name=w --ioengine=nbd --uri="$1" --rw=randwrite --bs=4k --iodepth=16 --time_based --runtime=$2 --norandommap --randrepeat=0 --output-format=terse --output=/dev/null; }
f "$1" 2
f "$1" 6 & sleep 1
perf record -q -F 4999 -g -p $server -o /tmp/lead/perf-$OUT.data -- sleep 4 2>/dev/null
wait
