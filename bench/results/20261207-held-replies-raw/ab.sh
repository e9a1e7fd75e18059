#!/usr/bin/env bash
# ab.sh PAIRS: alternating configurations, IOPS and server CPU us/IO medians
export RW=${RW:-randwrite} BS=${BS:-4k} QD=${QD:-16}
img=/tmp/lead/file.img; . $RAW/configs.sh
run() { case $1 in
  nbdkit) nbdkit -U - file $img --run '$RAW/one-rw.sh "$uri"' ;;
  store-c) $RAW/store_floor $img -U - --run '$RAW/one-rw.sh "$uri"' ;;
  *) eval "${!1}" ;;
esac; }
for i in $(seq $1); do for c in $CONFIGS; do echo "$c $(run $c)"; done; done | tee -a $RAW/ab.log | python3 -c "
import sys,statistics,collections
a=collections.defaultdict(list); b=collections.defaultdict(list); c=collections.defaultdict(list)
for l in sys.stdin:
    if len(l.split())<4: continue
    d,x,y,z=l.split(); a[d].append(float(x)); b[d].append(float(y)); c[d].append(float(z))
for d in a: print(d, 'IOPS', statistics.median(a[d]), 'us/IO', statistics.median(b[d]), 'cs/IO', statistics.median(c[d]), sorted(a[d]))"
