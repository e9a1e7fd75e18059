#!/usr/bin/env bash
set -u
name=$1 pargs=$2; shift 2
d=$(mktemp -d /tmp/writes-ab/run.XXXX); sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" $pargs >$d/log 2>&1 &
for i in $(seq 1200); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf); uri="nbd+unix:///?socket=$sock"
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
run() { fio --name=w --ioengine=nbd --uri="$uri" --group_reporting --time_based --runtime=$1 --norandommap --randrepeat=0 --rw=randwrite --bs=4k --iodepth=16 --output-format=json --output=$d/fio.json; }
run 3
perf stat -e task-clock,context-switches -p $pid -o /tmp/writes-ab/$name.stat & ps=$!; sleep 0.2
run 3; kill -INT $ps; wait $ps
python3 -c "import json;j=json.load(open('$d/fio.json'));print('$name ios',j['jobs'][0]['write']['total_ios'])"
strace -c -f -p $pid -o /tmp/writes-ab/$name.strace & st=$!; sleep 1
run 3; kill -INT $st; wait $st
python3 -c "import json;j=json.load(open('$d/fio.json'));print('$name strace ios',j['jobs'][0]['write']['total_ios'])"
kill $pid; wait; rm -rf $d
