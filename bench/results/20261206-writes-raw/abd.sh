#!/usr/bin/env bash
cd /tmp/writes-ab
uptime
for i in 1 2 3 4; do
  for s in "kit nbdkit" "lifo /tmp/writes-lifo/nbd4j" "disp /work/wt-writes/nbd4j"; do
    set -- $s
    ./fio.sh "sw1m-$1" "memory 1G" 1m 4 0 $2 2>/dev/null | tail -1
    ./fiofile.sh "fsw1m-$1" 1m 4 $2 2>/dev/null | tail -1
    rm -f /tmp/writes-ab/fdisk/*
    ./ab2.sh "over-$1" $2 2>/dev/null | tail -1
  done
done
uptime
