#!/bin/bash
cd /tmp/f-fsync
F=/tmp/f-fsync/disk.img; FSYNC="--rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1"; N=/work/wt-f-fsync/nbd4j
for r in 1 2 3 4 5; do
  echo "== round $r $(uptime)"
  ./dstat.sh ./ksync disk.img 4 1 fdatasync 5
  ./dstat.sh fio --name=kernel --filename=$F --ioengine=psync --rw=randwrite --bs=4k --numjobs=4 --fsync=1 --time_based --runtime=5 --norandommap --randrepeat=0 --group_reporting | grep -E "write: IOPS"
  PERF=1 ./dstat.sh ./run1.sh nbd4j-emulate $N --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  PERF=1 ./dstat.sh ./run1.sh nbdkit-emulate nbdkit --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  ./dstat.sh ./run1.sh nbd4j-nofilter $N file file=$F -- $FSYNC
  ./dstat.sh ./run1.sh nbdkit-nofilter nbdkit file file=$F -- $FSYNC
  ./run1.sh nbd4j-memory $N memory 1G -- $FSYNC
  ./run1.sh nbdkit-memory nbdkit memory 1G -- $FSYNC
done
echo "== end $(uptime)"
