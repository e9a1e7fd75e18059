#!/bin/bash
# cpu.sh ROUNDS LABEL=CMDFILE...: runs each captured java command line in turn, ROUNDS times, under perf stat,
# and prints per label the median CPU time (task-clock of the JVM and its children, ms) and wall time, then
# the paired medians against the first label.
J=${J:-$(ls -d /usr/lib/jvm/*25*/bin/java | head -n 1)}
n=$1; shift
variants=("$@"); out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 0; i < n; i++)); do
  for v in "${variants[@]}"; do
    label=${v%%=*}; eval "set -- $(cat "${v#*=}")"
    t0=$EPOCHREALTIME
    c=$(perf stat -x, -e task-clock "$J" "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
    t1=$EPOCHREALTIME
    echo "$c $(( ${t1/./} - ${t0/./} ))" >>"$out/$label"
  done
done
for v in "${variants[@]}"; do
  l=${v%%=*}
  awk -v l="$l" '{c[NR]=$1; w[NR]=$2/1000} END{k=asort(c); asort(w); m=int((k+1)/2); printf "%-10s cpu %.1f wall %.1f\n", l, c[m], w[m]}' "$out/$l"
done
f=${variants[0]%%=*}
for v in "${variants[@]:1}"; do
  l=${v%%=*}
  paste "$out/$f" "$out/$l" | awk -v l="$l" -v f="$f" '{d[NR]=$3-$1; e[NR]=($4-$2)/1000} END{k=asort(d); asort(e); m=int((k+1)/2); printf "paired %s-%s: cpu %+.1f wall %+.1f\n", l, f, d[m], e[m]}'
done
