#!/bin/bash
# ab1.sh URI LABEL RW: fill, 1 s warm, 3 s timed; prints IOPS and server CPU us/IO
uri=$1 label=$2 rw=$3
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
if c=$(pgrep -P "$pid" -x nbdkit); then pid=$c; fi
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
[ -n "$FILL" ] && nbdcopy --connections=4 /tmp/lead/rand.img "$uri"
fio --name=w --ioengine=nbd --uri="$uri" --rw=$rw --bs=4k --iodepth=${QD:-16} --time_based --runtime=1 --norandommap --randrepeat=0 >/dev/null
s0=$(ticks $pid)
fio --name=w --ioengine=nbd --uri="$uri" --rw=$rw --bs=4k --iodepth=${QD:-16} --time_based --runtime=3 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/ab-$label.json >/dev/null
s1=$(ticks $pid)
python3 -c "
import json; j=json.load(open('/tmp/lead/ab-$label.json'))['jobs'][0]; d='read' if 'read' in '$rw' else 'write'; i=j[d]['iops']
print('$label $rw', round(i), round(($s1-$s0)*10000/(i*3),2))"
