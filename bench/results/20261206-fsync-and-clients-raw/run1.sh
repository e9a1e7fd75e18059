#!/bin/bash
# run1.sh LABEL SERVERCMD -- FIOARGS... : start server (foreground, unix socket), run fio, print IOPS and server cpu
. "$(dirname "$0")/start-server.sh"
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
if [ -n "$STRACE" ]; then strace -c -f -p $pid -o $d/strace.txt & spid=$!; sleep 1; fi
if [ -n "$PERF" ]; then perf stat -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync,context-switches,task-clock -p $pid -o $d/perf.txt & ppid=$!; sleep 0.2; fi
if [ -n "$PTRACE" ]; then perf trace -s -p $pid -o $d/ptrace.txt & tpid=$!; sleep 0.5; fi
fio --name=x --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --group_reporting --time_based --runtime=${T:-5} \
   --norandommap --randrepeat=0 --output-format=json --output=$d/fio.json "$@" >/dev/null 2>$d/fio.err
t1=$(awk '{print $14+$15}' /proc/$pid/stat)
[ -n "$STRACE" ] && { kill -INT $spid; wait $spid; }
[ -n "$PERF" ] && { kill -INT $ppid; wait $ppid; }
[ -n "$PTRACE" ] && { kill -INT $tpid; wait $tpid; }
iops=$(python3 -c "import json;j=json.load(open('$d/fio.json'))['jobs'][0];print(round(j['write']['iops']+j['read']['iops']), j['write']['total_ios']+j['read']['total_ios'], j.get('sync',{}).get('total_ios',0), round(j.get('sync',{}).get('lat_ns',{}).get('mean',0)/1000), round(j['write']['clat_ns']['mean']/1000))")
set -- $iops
kill $pid; wait $pid 2>/dev/null
echo "$label iops=$1 ios=$2 flushes=$3 flush_lat_us=$4 write_lat_us=$5 cpu_us_per_io=$(python3 -c "print(round(($t1-$t0)*10000/max($2,1),1))")"
[ -n "$STRACE" ] && grep -E "fdatasync|fsync|calls|total|sendmsg|recv|write|read|futex" $d/strace.txt | head -20
[ -n "$PERF" ] && grep -E "fdatasync|fsync|context|task-clock" $d/perf.txt | awk -v f=$3 '{print "   ",$1,$2, (f>0? "per_flush=" $1/f : "")}' | tr -d ,
[ -n "$PTRACE" ] && grep -E "fdatasync|fsync|syscalls|calls" $d/ptrace.txt | head -20
rm -rf $d
