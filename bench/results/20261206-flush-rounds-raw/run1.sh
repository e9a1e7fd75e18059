#!/bin/bash
# run1.sh LABEL SERVERCMD... -- FIOARGS... : start server (foreground, unix socket), run fio, print IOPS, server CPU, disk flushes per write
label=$1; shift
srv=(); while [ "$1" != "--" ]; do srv+=("$1"); shift; done; shift
d=$(mktemp -d /tmp/e-rounds/r.XXXX)
"${srv[0]}" -f -U $d/sock -P $d/pid "${srv[@]:1}" >$d/srv.log 2>&1 &
for i in $(seq 600); do [ -s $d/pid ] && break; sleep 0.1; done
pid=$(cat $d/pid)
s0=($(cat /sys/block/vda/stat))
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
fio --name=x --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --group_reporting --time_based --runtime=${T:-10} \
   --norandommap --randrepeat=0 --output-format=json --output=$d/fio.json "$@" >/dev/null 2>$d/fio.err
t1=$(awk '{print $14+$15}' /proc/$pid/stat)
s1=($(cat /sys/block/vda/stat))
iops=$(python3 -c "import json;j=json.load(open('$d/fio.json'))['jobs'][0];print(round(j['write']['iops']), j['write']['total_ios'], j.get('sync',{}).get('total_ios',0), round(j.get('sync',{}).get('lat_ns',{}).get('mean',0)/1000), round(j['write']['clat_ns']['mean']/1000))")
set -- $iops
kill $pid; wait $pid 2>/dev/null
dw=$((s1[4]-s0[4])); df=$((s1[15]-s0[15]))
echo "$label iops=$1 ios=$2 flushes=$3 flush_lat_us=$4 write_lat_us=$5 cpu_us_per_io=$(python3 -c "print(round(($t1-$t0)*10000/max($2,1),1))") disk_writes=$dw disk_flushes=$df"
rm -rf $d
