#!/bin/bash
# ab.sh PAIRS: alternating old (main) and new (e-rounds) builds on the fsync-4conn workload, plus the kernel's figure
cd /tmp/e-rounds
F=/tmp/e-rounds/disk.img; FSYNC="--rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1"
OLD=/work/main/nbd4j; NEW=/work/wt-e-rounds/nbd4j
for r in $(seq ${1:-7}); do
  echo "== pair $r $(date -u +%T) $(uptime | sed 's/.*load/load/')"
  if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for w in $order; do
    if [ $w = old ]; then S=$OLD; else S=$NEW; fi
    ./run1.sh $w $S --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  done
  fio --name=kernel --filename=$F --ioengine=psync $FSYNC --time_based --runtime=${T:-10} --norandommap --randrepeat=0 \
     --group_reporting --output-format=json --output=/tmp/e-rounds/k.json >/dev/null 2>&1 &&
    python3 -c "import json;j=json.load(open('/tmp/e-rounds/k.json'))['jobs'][0];print('kernel iops=%d' % round(j['write']['iops']))"
done
echo "== end $(date -u +%T) $(uptime | sed 's/.*load/load/')"
