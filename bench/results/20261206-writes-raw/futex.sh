#!/usr/bin/env bash
set -u
d=$(mktemp -d /tmp/writes-ab/run.XXXX); sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" memory 1G >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf); uri="nbd+unix:///?socket=$sock"
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"; nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
perf record -e syscalls:sys_enter_futex,sched:sched_switch -g -o /tmp/writes-ab/futex.perf -p $pid 2>/dev/null & pp=$!
sleep 0.5; nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"; kill -INT $pp; wait $pp
$(ls /usr/lib/jvm/*25*/bin/jcmd | head -1) $pid Compiler.perfmap >/dev/null
kill $pid; wait; rm -rf $d
