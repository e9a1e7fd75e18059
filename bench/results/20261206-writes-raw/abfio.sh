#!/usr/bin/env bash
cd /tmp/writes-ab
uptime
for i in 1 2 3 4 5 6 7; do
  for s in "kit nbdkit" "base /tmp/writes-base/nbd4j" "new /work/wt-writes/nbd4j"; do
    set -- $s
    ./fio.sh "rw4k-$1" "memory 1G" 4k 16 0 $2 2>/dev/null | tail -1
    ./fio.sh "sw1m-$1" "memory 1G" 1m 4 0 $2 2>/dev/null | tail -1
    ./fiofile.sh "frw4k-$1" 4k 16 $2 2>/dev/null | tail -1
    ./fiofile.sh "fsw1m-$1" 1m 4 $2 2>/dev/null | tail -1
    rm -f /tmp/writes-ab/fdisk/*
  done
done
uptime
