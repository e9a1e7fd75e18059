#!/bin/bash
# run2.sh LABEL SERVERCMD -- FIOARGS... : like run1 plus fio's own CPU and context switches
. "$(dirname "$0")/start-server.sh"
sc0=$(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/$pid/task/*/status 2>/dev/null)
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
/usr/bin/time -o $d/time.txt -f "%U %S %w %c" fio --name=x --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --group_reporting --time_based --runtime=${T:-5} \
   --norandommap --randrepeat=0 --output-format=json --output=$d/fio.json "$@" >/dev/null 2>$d/fio.err
t1=$(awk '{print $14+$15}' /proc/$pid/stat)
sc1=$(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/$pid/task/*/status 2>/dev/null)
read fu fs fw fc < $d/time.txt
python3 - $d/fio.json $t0 $t1 $fu $fs $fw $fc $label $sc0 $sc1 <<'P'
import json,sys
j=json.load(open(sys.argv[1]))['jobs'][0]
ios=j['read']['total_ios']+j['write']['total_ios']; iops=j['read']['iops']+j['write']['iops']
t0,t1,fu,fs=map(float,sys.argv[2:6]); fw,fc=int(sys.argv[6]),int(sys.argv[7])
print(f"{sys.argv[8]} iops={iops:.0f} lat_us={j['read']['clat_ns']['mean']/1000:.0f} server_cpu_us/io={(t1-t0)*1e4/ios:.1f} fio_cpu_us/io={(fu+fs)*1e6/ios:.1f} (usr {fu*1e6/ios:.1f} sys {fs*1e6/ios:.1f}) fio_ctxsw/io={(fw+fc)/ios:.2f} (invol {fc/ios:.2f})")
P
kill $pid; wait $pid 2>/dev/null
rm -rf $d
