#!/bin/bash
# ab.sh PAIRS: alternating old (main) and new (per-kind.patch) builds: the fsync storm with and without the
# multi-conn filter, a QD16 memory randread check, and the kernel's own figure (fio psync, same file) each pair.
# run1.sh is ../20261206-fsync-and-clients-raw/run1.sh (it needs /tmp/f-fsync to exist); the runs were made
# with a copy whose perf stat also counted cpu-migrations, and which printed the server log's PROBE lines.
RUN1=$(dirname "$(readlink -f "$0")")/../20261206-fsync-and-clients-raw/run1.sh
F=/tmp/storm-b/disk.img; FSYNC="--rw=randwrite --bs=4k --iodepth=1 --numjobs=4 --fsync=1"
OLD=/tmp/storm-base/nbd4j; NEW=/work/wt-storm/nbd4j
both() {  # both LABEL SERVERARGS... -- FIOARGS...: one run per build, in this pair's order
  local label=$1; shift
  for w in $order; do
    if [ $w = old ]; then S=$OLD; else S=$NEW; fi
    $RUN1 $label-$w $S "$@"
  done
}
for r in $(seq ${1:-7}); do
  echo "== pair $r $(date -u +%T) $(uptime | sed 's/.*load/load/')"
  if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  both storm --filter=multi-conn file file=$F multi-conn-mode=emulate -- $FSYNC
  both nofilter file file=$F -- $FSYNC
  both qd16 memory size=1G -- --rw=randread --bs=4k --iodepth=16
  fio --name=kernel --filename=$F --ioengine=psync $FSYNC --time_based --runtime=${T:-5} --norandommap \
     --randrepeat=0 --group_reporting --output-format=json --output=/tmp/storm-b/k.json >/dev/null 2>&1 &&
    python3 -c "import json;j=json.load(open('/tmp/storm-b/k.json'))['jobs'][0];print('kernel iops=%d' % round(j['write']['iops']))"
done
echo "== end $(date -u +%T) $(uptime | sed 's/.*load/load/')"
