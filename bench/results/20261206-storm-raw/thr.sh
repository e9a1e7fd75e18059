#!/bin/bash
# thr.sh LABEL SERVER: per-thread context switches of the server during a 5 s storm, per write+flush cycle
F=/tmp/storm-b/disk.img; label=$1; S=$2
d=$(mktemp -d /tmp/storm-b/t.XXXX)
$S -f -U $d/sock -P $d/pid --filter=multi-conn file file=$F multi-conn-mode=emulate >$d/log 2>&1 &
for i in $(seq 600); do [ -s $d/pid ] && break; sleep 0.1; done; pid=$(cat $d/pid)
snap() { for t in /proc/$pid/task/*; do n=$(cat $t/comm); v=$(awk '/^voluntary/{print $2}' $t/status); nv=$(awk '/^nonvoluntary/{print $2}' $t/status); echo "$(basename $t)|$n|$v|$nv"; done; }
fio --name=warm --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1 --time_based --runtime=1 --norandommap --group_reporting >/dev/null 2>&1
snap > $d/a
fio --name=x --ioengine=nbd --uri="nbd+unix:///?socket=$d/sock" --rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1 --time_based --runtime=5 --norandommap --group_reporting --output-format=json --output=$d/fio.json >/dev/null 2>&1
snap > $d/b
kill $pid; wait $pid 2>/dev/null
python3 - $d <<'PY'
import json,sys,collections,re
d=sys.argv[1]; j=json.load(open(d+'/fio.json'))['jobs'][0]; ios=j['write']['total_ios']
a={l.split("|")[0]:l.split("|") for l in open(d+"/a")}; agg=collections.Counter()
for l in open(d+'/b'):
    t,n,v,nv=l.split("|"); n=re.sub(r'\d+$','N',n)
    v0,nv0=(int(a[t][2]),int(a[t][3])) if t in a else (0,0)
    agg[n+' vol']+=int(v)-v0; agg[n+' invol']+=int(nv)-nv0
print(sys.argv[0], 'cycles', ios, ' '.join('%s=%.2f'%(k,c/ios) for k,c in sorted(agg.items()) if c/ios>0.01))
PY
rm -rf $d
