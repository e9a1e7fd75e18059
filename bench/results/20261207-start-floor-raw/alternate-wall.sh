#!/bin/bash
# alternate-wall.sh ROUNDS LABEL=COMMAND...: runs the commands in turn ROUNDS times; median wall ms (with /usr/bin/time and bash -c around each, ~4.7 ms of it: compare a /bin/true label) and CPU ms (10 ms ticks)
rounds=$1; shift
names=(); cmds=()
for c in "$@"; do names+=("${c%%=*}"); cmds+=("${c#*=}"); done
declare -A W C
for ((r=0;r<rounds;r++)); do
  for i in "${!names[@]}"; do
    t0=$EPOCHREALTIME
    /usr/bin/time -o ${TMPDIR:-/tmp}/alternate-wall.$$ -f "%U %S" bash -c "${cmds[$i]}" >/dev/null 2>&1; cpu=$(tail -1 ${TMPDIR:-/tmp}/alternate-wall.$$)
    t1=$EPOCHREALTIME
    W[$i]+="$(( (${t1/./}-${t0/./})/100 )) "
    C[$i]+="$(echo $cpu | awk '{printf "%d", ($1+$2)*1000}') "
  done
done
for i in "${!names[@]}"; do
  printf '%-14s wall %s   cpu %s\n' "${names[$i]}" \
    "$(echo ${W[$i]} | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END{printf "%.1f (%.1f-%.1f)", v[int((NR+1)/2)]/10, v[1]/10, v[NR]/10}')" \
    "$(echo ${C[$i]} | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END{printf "%d", v[int((NR+1)/2)]}')"
done
