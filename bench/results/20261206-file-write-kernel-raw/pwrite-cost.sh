#!/bin/bash
# pwrite-cost.sh ROUNDS: the kernel's CPU per pwrite into the page cache of a 1 GiB file (fio psync, 1 job),
# 4 KiB random and 1 MiB sequential, as the file write rows do. Prints row iops/mbps cpu_us_per_op.
f=/tmp/lead/pw.img
[ -f $f ] || head -c 1G /dev/urandom > $f
for r in $(seq ${1:-3}); do
  for row in 4k 1m; do
    if [ $row = 4k ]; then a="--rw=randwrite --bs=4k"; else a="--rw=write --bs=1m"; fi
    fio --name=k --filename=$f --ioengine=psync $a --size=1G --time_based --runtime=5 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/pw.json >/dev/null
    /usr/bin/python3 - $row <<'PY'
import json,sys
j=json.load(open('/tmp/lead/pw.json'))['jobs'][0]
w=j['write']; ios=w['total_ios']; rt=j['job_runtime']/1000
cpu=(j['usr_cpu']+j['sys_cpu'])/100*rt
print(sys.argv[1], round(w['iops']), round(w['bw_bytes']/1e6), round(cpu/ios*1e6,2), 'us/op')
PY
  done
done
