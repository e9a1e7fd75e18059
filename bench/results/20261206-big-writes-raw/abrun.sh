#!/usr/bin/env bash
# 7 alternating pairs per row (base first in odd pairs, new first in even pairs)
cd /tmp/bigwrite
echo "start $(date -u +%H:%M:%S) $(uptime)"
for i in $(seq 7); do FLIP=$((i+1)) ./ab.sh 1 mem 1m 4; FLIP=$((i+1)) ./ab.sh 1 file 1m 4; done
echo "mid $(date -u +%H:%M:%S) $(uptime)"
for i in $(seq 7); do FLIP=$((i+1)) ./ab.sh 1 mem 4k 16; FLIP=$((i+1)) ./ab.sh 1 file 4k 16; done
echo "end $(date -u +%H:%M:%S) $(uptime)"
