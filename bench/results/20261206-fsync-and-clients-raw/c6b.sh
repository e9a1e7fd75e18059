#!/bin/bash
cd /tmp/f-fsync; N=/work/wt-f-fsync/nbd4j
R="--rw=randread --bs=4k --iodepth=16"
for r in 1 2 3; do echo "== round $r $(uptime)"
  for j in 4 64; do ./run2.sh nbdkit-null-$j nbdkit null 1G -- $R --numjobs=$j; done
  for j in 4 64; do ./run2.sh nbd4j-memory-$j $N memory 1G -- $R --numjobs=$j; done
  for j in 4 64; do ./run2.sh nbdkit-memory-$j nbdkit memory 1G -- $R --numjobs=$j; done
done; echo "== end $(uptime)"
