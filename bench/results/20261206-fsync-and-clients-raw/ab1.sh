#!/bin/bash
cd /tmp/f-fsync
F=/tmp/f-fsync/disk.img; FSYNC="--rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1"; N=/work/wt-f-fsync/nbd4j
for r in 1 2 3 4 5; do
  echo "== round $r $(uptime)"
  ./ksync disk.img 4 1 fdatasync 5
  ./run1.sh force-nofilter $N file file=$F -- $FSYNC
  JAVA_TOOL_OPTIONS=-Dnbd4j.exp.nativesync=true ./run1.sh native-nofilter $N file file=$F -- $FSYNC
  ./run1.sh force-emulate $N --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  JAVA_TOOL_OPTIONS=-Dnbd4j.exp.nativesync=true ./run1.sh native-emulate $N --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  ./run1.sh nbdkit-nofilter nbdkit file file=$F -- $FSYNC
done
echo "== end $(uptime)"
