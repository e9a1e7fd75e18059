#!/usr/bin/env bash
# fio.sh NAME PLUGIN-ARGS(quoted) BS QD PERF(0/1) CMD... : prints NAME iops-or-MBps server-CPU-per-unit (us/IO for 4k, ms/GiB otherwise)
set -u
name=$1 pargs=$2 bs=$3 qd=$4 prof=$5; shift 5
d=$(mktemp -d /tmp/writes-ab/run.XXXX); sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" $pargs >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf); uri="nbd+unix:///?socket=$sock"
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
rw=randwrite; [ "$bs" = 1m ] && rw=write
run() { fio --name=w --ioengine=nbd --uri="$uri" --group_reporting --time_based --runtime=5 --norandommap --randrepeat=0 --rw=$rw --bs=$bs --iodepth=$qd --output-format=json --output=$d/fio.json; }
run  # cold pass
[ "$prof" = 1 ] && { perf record -g -o /tmp/writes-ab/$name.perf -p $pid 2>/dev/null & pp=$!; sleep 0.3; }
c0=$(cpu); run; c1=$(cpu)
[ "$prof" = 1 ] && { kill -INT $pp; wait $pp; $(ls /usr/lib/jvm/*25*/bin/jcmd | head -1) $pid Compiler.perfmap >/dev/null 2>&1; }
python3 - "$d/fio.json" $(( (c1-c0)*10 )) "$name" "$bs" <<'PY'
import json,sys
j=json.load(open(sys.argv[1])); w=j['jobs'][0]['write']; cpu=int(sys.argv[2])
if sys.argv[4]=='4k': print(sys.argv[3], round(w['iops']), round(cpu*1000/w['total_ios'],2))
else: print(sys.argv[3], round(w['bw_bytes']/1e6), round(cpu/(w['io_bytes']/2**30),1))
PY
kill $pid; wait; rm -rf $d
