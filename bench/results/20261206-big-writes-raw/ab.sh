#!/usr/bin/env bash
# ab.sh N KIND BS QD : N alternating pairs base/new (order flips each pair)
n=$1 k=$2 bs=$3 qd=$4
B=/tmp/bigwrite-base/nbd4j; N=${NEWCMD:-/work/wt-bigwrite/nbd4j}
for i in $(seq $n); do
  if [ $(( (i + ${FLIP:-0}) % 2)) = 1 ]; then ./m.sh base-$k-$bs $k $bs $qd none $B; ./m.sh new-$k-$bs $k $bs $qd none $N
  else ./m.sh new-$k-$bs $k $bs $qd none $N; ./m.sh base-$k-$bs $k $bs $qd none $B; fi
done
