#!/usr/bin/env bash
# prof.sh NAME CMD... : prefill, then perf record the server during 3 overwrites
set -u
name=$1; shift
d=$(mktemp -d /tmp/writes-ab/run.XXXX)
sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" memory 1G >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf)
uri="nbd+unix:///?socket=$sock"
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
perf record -g -o /tmp/writes-ab/$name.perf -p $pid 2>/dev/null &
pp=$!
sleep 0.5
for r in 1 2 3; do nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"; done
kill -INT $pp; wait $pp
perf stat -e task-clock,context-switches,cpu-migrations -p $pid -o /tmp/writes-ab/$name.stat &
ps=$!
sleep 0.3
for r in 1 2 3; do nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"; done
kill -INT $ps; wait $ps
strace -c -f -p $pid -o /tmp/writes-ab/$name.strace &
st=$!
sleep 1
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
kill -INT $st; wait $st
if [ -n "${JCMD:-}" ]; then $JCMD $pid Compiler.perfmap >/dev/null; fi
kill $pid; wait
rm -rf $d
