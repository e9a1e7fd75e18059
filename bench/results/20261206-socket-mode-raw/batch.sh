#!/bin/bash
uri=$1 label=$2
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
if c=$(pgrep -P "$pid" -x nbdkit); then pid=$c; fi
[ -n "$FILL" ] && nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
fio --name=w --ioengine=nbd --uri="$uri" --rw=${RW:-randread} --bs=4k --iodepth=16 --time_based --runtime=1 --norandommap --randrepeat=0 >/dev/null
fio --name=w --ioengine=nbd --uri="$uri" --rw=${RW:-randread} --bs=4k --iodepth=16 --time_based --runtime=4 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/b-$label.json >/dev/null &
sleep 1
perf stat -e 'syscalls:sys_enter_read,syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_poll,context-switches' -p $pid -- sleep 2 2> /tmp/lead/b-$label.txt
wait
python3 -c "import json; j=json.load(open('/tmp/lead/b-$label.json'))['jobs'][0]; d='read' if 'read' in '${RW:-randread}' else 'write'; print('$label', round(j[d]['iops']), 'IOPS; per request over 2 s:')"
awk -v f=/tmp/lead/b-$label.json '/syscalls|context/ { gsub(",","",$1); print "  " $2, $1 }' /tmp/lead/b-$label.txt
