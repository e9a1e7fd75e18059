#!/bin/bash
# locality.sh ROUNDS SECONDS: memory 4 KiB random read QD16 over the whole written 1 GiB disk vs over its
# first 8 MiB, nbdkit and nbd4j, same server start, alternating order. Prints row server span iops cpu_us_per_io.
rounds=${1:-3} secs=${2:-5}
img=/tmp/lead/rand.img
[ -f $img ] || head -c 1G /dev/urandom > $img
cat > /tmp/lead/pass.sh <<'EOS'
#!/bin/bash
uri=$1 secs=$2 img=/tmp/lead/rand.img
nbdcopy --connections=4 $img "$uri"
pid=$PPID
while [ "$pid" -gt 1 ] && ! grep -qxE 'nbdkit|java' "/proc/$pid/comm"; do pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat"); done
if child=$(pgrep -P "$pid" -x nbdkit); then pid=$child; fi
hz=$(getconf CLK_TCK)
for span in 1g 8m 1g 8m; do
  s=""; [ $span = 8m ] && s="--size=8M"
  fio --name=w --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --time_based --runtime=1 --norandommap --randrepeat=0 $s --output-format=json --output=/tmp/lead/f.json >/dev/null
  t0=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$pid/stat)
  fio --name=w --ioengine=nbd --uri="$uri" --rw=randread --bs=4k --iodepth=16 --time_based --runtime=$secs --norandommap --randrepeat=0 $s --output-format=json --output=/tmp/lead/f.json >/dev/null
  t1=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$pid/stat)
  /usr/bin/python3 - "$span" "$t0" "$t1" "$hz" <<'PY'
import json,sys
span,t0,t1,hz=sys.argv[1],int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4])
j=json.load(open('/tmp/lead/f.json'))['jobs'][0]['read']
ios=j['total_ios']; print(span, round(j['iops']), round((t1-t0)/hz*1e6/ios,2))
PY
done
EOS
chmod +x /tmp/lead/pass.sh
for r in $(seq $rounds); do
  for s in nbdkit nbd4j; do
    if [ $s = nbdkit ]; then SERVER_PATTERN="nbdkit.*memory" nbdkit -U - memory 1G --run "/tmp/lead/pass.sh \"\$uri\" $secs" | sed "s/^/$r nbdkit /"
    else SERVER_PATTERN="io.nbd4j" /work/main/nbd4j -U - memory 1G --run "/tmp/lead/pass.sh \"\$uri\" $secs" | sed "s/^/$r nbd4j /"; fi
  done
done
