#!/usr/bin/env bash
set -u
name=$1; shift
f=/tmp/writes-ab/fdisk/$name.img; cp /tmp/writes-ab/random.img $f
d=$(mktemp -d /tmp/writes-ab/run.XXXX); sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" file $f >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf); uri="nbd+unix:///?socket=$sock"
run() { fio --name=w --ioengine=nbd --uri="$uri" --group_reporting --time_based --runtime=4 --norandommap --randrepeat=0 --rw=write --bs=1m --iodepth=4 --output-format=json --output=$d/fio.json; }
run
perf record -g -o /tmp/writes-ab/$name.perf -p $pid 2>/dev/null & pp=$!; sleep 0.3
run; kill -INT $pp; wait $pp
python3 -c "import json;j=json.load(open('$d/fio.json'));print('$name GiB',j['jobs'][0]['write']['io_bytes']/2**30)"
$(ls /usr/lib/jvm/*25*/bin/jcmd | head -1) $pid Compiler.perfmap >/dev/null 2>&1
kill $pid; wait; rm -rf $d $f
