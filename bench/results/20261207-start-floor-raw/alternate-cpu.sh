#!/bin/bash
# alternate-cpu.sh ROUNDS LABEL=COMMAND...: runs the commands in turn ROUNDS times; median CPU (perf stat task-clock, ms) and wall ms
rounds=$1; shift
declare -A C W
for ((r=0;r<rounds;r++)); do for c in "$@"; do l=${c%%=*}; cmd=${c#*=}
  t0=$EPOCHREALTIME; v=$(perf stat -x, -e task-clock bash -c "$cmd" 2>&1 >/dev/null | tail -1 | cut -d, -f1); t1=$EPOCHREALTIME
  C[$l]+="$v "; W[$l]+="$(( (${t1/./}-${t0/./})/100 )) "; done; done
for c in "$@"; do l=${c%%=*}; printf '%-10s cpu %s  wall %s\n' "$l" "$(echo ${C[$l]} | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END{printf "%.1f", v[int((NR+1)/2)]}')" "$(echo ${W[$l]} | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END{printf "%.1f", v[int((NR+1)/2)]/10}')"; done
