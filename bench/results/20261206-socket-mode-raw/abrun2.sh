#!/bin/bash
ab() { local rw=$1 plug=$2 fill=$3; for i in 1 2 3 4 5 6; do for v in base new; do if [ $v = base ]; then n=/work/wt-base/nbd4j; else n=/work/main/nbd4j; fi; if [ $plug = file ]; then args=(file /tmp/lead/file.img); else args=(memory 1G); fi; FILL=$fill $n -U - "${args[@]}" --run "/tmp/lead/ab1.sh \"\$uri\" $v $rw"; done; done 2>&1 | awk -v t="$plug $rw QD${QD:-16}" '{k=$1; a[k]=a[k]" "$3; c[k]=c[k]" "$4} END {for (k in a) print t, k, "iops:", a[k], "us/io:", c[k]}'; }
ab randread memory 1; ab randwrite memory 1; ab randwrite file ""; ab randread file ""
for i in 1 2 3 4 5 6; do for v in base new; do if [ $v = base ]; then n=/work/wt-base/nbd4j; else n=/work/main/nbd4j; fi; $n -U - memory 1G --run "/tmp/lead/abc.sh \"\$uri\" $v"; done; done 2>&1 | awk '{k=$1; a[k]=a[k]" "$3; c[k]=c[k]" "$4} END {for (k in a) print "read-c4", k, "MB/s:", a[k], "ms/GiB:", c[k]}'
cd /work/main
for r in 1 2 3; do
NBD4J_CMD=/work/main/nbd4j bench/run --only scale --rounds 1 --nbd4j-only --out /tmp/lead/sd-new$r > /tmp/lead/sd-new$r.log 2>&1
NBD4J_CMD=/work/wt-base/nbd4j bench/run --only scale --rounds 1 --nbd4j-only --out /tmp/lead/sd-base$r > /tmp/lead/sd-base$r.log 2>&1
done
grep -H -E "nbd4j (clients|cpu:clients)" /tmp/lead/sd-*.log
