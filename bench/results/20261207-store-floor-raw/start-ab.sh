#!/usr/bin/env bash
# start-ab.sh N PLUGIN-ARGS...: captive nbdinfo --size, wt-base vs main alternating; wall ms and CPU ms
n=$1; shift
for i in $(seq $n); do for d in wt-base main; do
  s=$(date +%s%N); c0=$(awk '{print $16+$17}' /proc/$$/stat)
  /work/$d/nbd4j -U - "$@" --run 'nbdinfo --size "$uri"' >/dev/null
  e=$(date +%s%N); c1=$(awk '{print $16+$17}' /proc/$$/stat)
  echo "$d $(( (e-s)/100000 )) $(( (c1-c0)*10 ))"; done; done | python3 -c "
import sys,statistics,collections
w=collections.defaultdict(list); c=collections.defaultdict(list)
for l in sys.stdin:
    d,t,u=l.split(); w[d].append(int(t)/10); c[d].append(int(u))
for d in w: print(d, 'wall median', statistics.median(w[d]), 'ms; cpu median', statistics.median(c[d]), 'ms; n', len(w[d]))"
