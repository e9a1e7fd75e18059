#!/bin/bash
# Alternating A/B of one build: plain memcpy vs memcpy with glibc's non-temporal threshold at 64 KiB.
cd /work/wt-mwrite
row=$1; pairs=$2; out=/tmp/mwrite-ab${3:-}-$row
mkdir -p $out
uptime > $out/uptime-before
for i in $(seq 1 $pairs); do
  order="plain nt"; [ $((i % 2)) = 0 ] && order="nt plain"
  for v in $order; do
    if [ $v = nt ]; then cmd="env GLIBC_TUNABLES=glibc.cpu.x86_non_temporal_threshold=0x10000 /work/wt-mwrite/nbd4j"; else cmd=/work/wt-mwrite/nbd4j; fi
    NBD4J_CMD="$cmd" bench/run --only $row --nbd4j-only --rounds 1 --out $out/$v-$i >/dev/null 2>&1
    echo "$v $i $(grep -h '^[a-z-]*,\|^cpu:[a-z0-9-]*,' $out/$v-$i/*.csv | awk -F, '{print $1"="$6}' | tr '\n' ' ')"
  done
done
uptime > $out/uptime-after
