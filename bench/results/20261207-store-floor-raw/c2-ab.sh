#!/usr/bin/env bash
export RW=$2 BS=$3 QD=$4
for i in $(seq $1); do for v in c1 c2; do
  if [ $v = c2 ]; then export NBD4J_JVM_OPTS="-XX:TieredStopAtLevel=4"; else unset NBD4J_JVM_OPTS; fi
  echo "$v $(/work/main/nbd4j -U - file /tmp/lead/file.img --run '/tmp/lead/one-rw.sh "$uri"')"; done; done | python3 -c "
import sys,statistics,collections
a=collections.defaultdict(list); b=collections.defaultdict(list)
for l in sys.stdin:
    d,x,y=l.split(); a[d].append(float(x)); b[d].append(float(y))
for d in a: print(d, 'IOPS median', statistics.median(a[d]), 'server us/IO median', statistics.median(b[d]), sorted(a[d]))"
