#!/bin/bash
# nf.sh PAIRS: new build, emulate vs no filter (what the filter still costs), alternating
cd /tmp/e-rounds
F=/tmp/e-rounds/disk.img; FSYNC="--rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1"; NEW=/work/wt-e-rounds/nbd4j
for r in $(seq ${1:-3}); do
  echo "== pair $r $(date -u +%T) $(uptime | sed 's/.*load/load/')"
  if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for w in $order; do
    if [ $w = old ]; then ./run1.sh old $NEW file file=$F -- $FSYNC | sed 's/^old/nofilter/'; else ./run1.sh new $NEW --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC | sed 's/^new/emulate/'; fi
  done
done
