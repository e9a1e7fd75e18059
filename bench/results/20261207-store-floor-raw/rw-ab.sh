#!/usr/bin/env bash
# rw-ab.sh PAIRS RW BS QD: fio against wt-base and main file servers alternating; IOPS and server CPU us/IO
cat > /tmp/lead/one-rw.sh <<'EOS'
#!/usr/bin/env bash
server=$PPID
while [ "$server" -gt 1 ] && ! grep -qxE 'java' "/proc/$server/comm"; do server=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$server/stat"); done
t() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$server/stat; }
f() { fio --name=w --ioengine=nbd --uri="$1" --rw=$RW --bs=$BS --iodepth=$QD --time_based --runtime=$2 --norandommap --randrepeat=0 --output-format=json --output=/tmp/lead/rw.json >/dev/null; }
f "$1" 1; c0=$(t); f "$1" 3; c1=$(t)
python3 -c "
import json; j=json.load(open('/tmp/lead/rw.json'))['jobs'][0]; d='$RW'.replace('rand',''); io=j[d]['total_ios']
print(f\"{io/3:.0f} {($c1-$c0)*10000/io:.2f}\")"
EOS
chmod +x /tmp/lead/one-rw.sh
export RW=$2 BS=$3 QD=$4
for i in $(seq $1); do for d in wt-base main; do echo "$d $(/work/$d/nbd4j -U - file /tmp/lead/file.img --run '/tmp/lead/one-rw.sh "$uri"')"; done; done | python3 -c "
import sys,statistics,collections
a=collections.defaultdict(list); b=collections.defaultdict(list)
for l in sys.stdin:
    d,x,y=l.split(); a[d].append(float(x)); b[d].append(float(y))
for d in a: print(d, 'IOPS median', statistics.median(a[d]), 'server us/IO median', statistics.median(b[d]), sorted(a[d]))"
