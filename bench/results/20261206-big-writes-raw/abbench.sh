#!/usr/bin/env bash
# 7 alternating pairs of bench/run --only copy,fsync-4conn --rounds 1 --nbd4j-only, base and new
cd /work/wt-bigwrite
echo "start $(date -u +%H:%M:%S) $(uptime)"
for i in $(seq 7); do
  if [ $((i%2)) = 1 ]; then order="base new"; else order="new base"; fi
  for who in $order; do
    if [ $who = base ]; then cmd=/tmp/bigwrite-base/nbd4j; else cmd=/work/wt-bigwrite/nbd4j; fi
    NBD4J_CMD=$cmd bench/run --only copy,fsync-4conn --rounds 1 --nbd4j-only --out /tmp/bigwrite/bench/$who-$i >/tmp/bigwrite/bench/$who-$i.log 2>&1
    echo "$who $i $(python3 /tmp/bigwrite/pick.py /tmp/bigwrite/bench/$who-$i/*.csv)"
  done
done
echo "end $(date -u +%H:%M:%S) $(uptime)"
