#!/usr/bin/env bash
# m.sh NAME KIND(mem|file) BS QD EXTRA(perf|strace|none) CMD... : NAME MB/s-or-IOPS cpu-ms/GiB-or-us/IO [perf stat lines in $NAME.stat]
set -u
name=$1 kind=$2 bs=$3 qd=$4 extra=$5; shift 5
d=$(mktemp -d /tmp/bigwrite/run.XXXX); sock=$d/sock; pidf=$d/pid
if [ $kind = mem ]; then pargs="memory 1G"; else f=/tmp/bigwrite/fdisk/$name.img; cp /tmp/bigwrite/random.img $f; pargs="file $f"; fi
"$@" -f -U "$sock" -P "$pidf" $pargs >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf); uri="nbd+unix:///?socket=$sock"
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
[ $kind = mem ] && nbdcopy -C 4 /tmp/bigwrite/random.img "$uri"
rw=randwrite; [ "$bs" = 1m ] && rw=write
run() { ${FIOPIN:-} fio --name=w --ioengine=nbd --uri="$uri" --group_reporting --time_based --runtime=${FIOT:-5} --norandommap --randrepeat=0 --rw=$rw --bs=$bs --iodepth=$qd --output-format=json --output=$d/fio.json; }
run  # cold pass
case $extra in
 perf) perf stat -e cycles,instructions,cache-misses,context-switches,cpu-migrations,page-faults,task-clock -p $pid -o /tmp/bigwrite/$name.stat & pp=$!; sleep 0.2;;
 rec) perf record --sample-cpu -g -o /tmp/bigwrite/$name.perf -p $pid 2>/dev/null & pp=$!; sleep 0.3;;
 sched) perf record -e sched:sched_switch -g -o /tmp/bigwrite/$name.sched -p $pid 2>/dev/null & pp=$!; sleep 0.3;;
 strace) strace -c -f -p $pid -o /tmp/bigwrite/$name.strace & pp=$!; sleep 0.5;;
esac
c0=$(cpu); run; c1=$(cpu)
[ $extra != none ] && { kill -INT $pp; wait $pp; }
[ $extra = rec ] && $(ls /usr/lib/jvm/*25*/bin/jcmd | head -1) $pid Compiler.perfmap >/dev/null 2>&1
python3 - "$d/fio.json" $(( (c1-c0)*10 )) "$name" "$bs" <<'PY'
import json,sys
j=json.load(open(sys.argv[1])); w=j['jobs'][0]['write']; cpu=int(sys.argv[2])
if sys.argv[4]=='4k': print(sys.argv[3], round(w['iops']), round(cpu*1000/w['total_ios'],2), 'us/IO')
else: print(sys.argv[3], round(w['bw_bytes']/1e6), round(cpu/(w['io_bytes']/2**30),1), 'ms/GiB', round(w['io_bytes']/2**30,2),'GiB')
PY
kill $pid; wait $pid 2>/dev/null; rm -rf $d; [ $kind = file ] && rm -f $f
