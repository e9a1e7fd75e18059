#!/usr/bin/env bash
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'java|nbdkit|store_floor' "/proc/$server/comm"; do server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
t() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$server/stat; }
cs() { cat /proc/$server/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s+=$2} END {print s}'; }
f() { fio --name=w --ioengine=nbd --uri="$1" --rw=$RW --bs=$BS --iodepth=$QD --time_based --runtime=$2 --norandommap --randrepeat=0 --output-format=json --output=$RAW/rw.json >/dev/null; }
f "$1" 1; c0=$(t); s0=$(cs); f "$1" 3; c1=$(t); s1=$(cs)
python3 -c "
import json; j=json.load(open('$RAW/rw.json'))['jobs'][0]; d='$RW'.replace('rand','').replace('seq',''); io=j[d]['total_ios']
print(f\"{io/3:.0f} {($c1-$c0)*10000/io:.2f} {($s1-$s0)/io:.3f}\")"
