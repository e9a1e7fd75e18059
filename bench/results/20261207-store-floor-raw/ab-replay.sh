#!/usr/bin/env bash
# alternating A/B: launcher as is vs with the AOT cache's profiles replayed
for i in 1 2 3 4 5 6; do
  for v in base replay; do
    if [ $v = replay ]; then export NBD4J_JVM_OPTS=-XX:+AOTReplayTraining; else unset NBD4J_JVM_OPTS; fi
    d=/tmp/lead/ab-$v-r$i; rm -rf $d
    /work/main/bench/run --only sparse-copy,nbd-proxy --nbd4j-only --rounds 1 --out $d > $d.log 2>&1
    printf '%s %s ' $v $i; python3 -c "import csv,glob,sys; [print(r[0], r[5]) for r in csv.reader(open(glob.glob(sys.argv[1] + \"/*.csv\")[0]))]" $d; echo
  done
done
