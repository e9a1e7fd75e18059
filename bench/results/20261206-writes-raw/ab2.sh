#!/usr/bin/env bash
# ab.sh NAME CMD... : start server (memory 1G), prefill, 5 overwrites (nbdcopy -C 4); prints
# NAME median-MB/s total-server-CPU-ms-per-GiB ctxsw-per-GiB
set -u
name=$1; shift
d=$(mktemp -d /tmp/writes-ab/run.XXXX)
sock=$d/sock; pidf=$d/pid
"$@" -f -U "$sock" -P "$pidf" memory 1G >$d/log 2>&1 &
for i in $(seq 600); do [ -s "$pidf" ] && break; sleep 0.05; done
pid=$(cat $pidf)
uri="nbd+unix:///?socket=$sock"
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
csw() { local t=0; for f in /proc/$pid/task/*/status; do t=$((t+$(awk '/^(voluntary|nonvoluntary)_ctxt_switches/{s+=$2} END{print s}' $f))); done; echo $t; }
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"
c0=$(cpu); s0=$(csw); rates=()
for r in 1 2 3 4 5; do
  t0=$(date +%s%N); /usr/bin/time -a -o $d/cl -f "%U %S" nbdcopy -C 4 /tmp/writes-ab/random.img "$uri"; t1=$(date +%s%N)
  rates+=($(( 1073741824*1000/(t1-t0) )))
done
c1=$(cpu); s1=$(csw)
med=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 3p)
echo "$name $med $(( (c1-c0)*10/5 )) $(awk "{s+=\$1+\$2} END{printf \"%d\", s*1000/NR}" $d/cl)"
kill $pid; wait
rm -rf $d
