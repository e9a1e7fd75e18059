#!/bin/bash
# alternate-jvm.sh timeline|cpu ROUNDS LABEL=CMDFILE...: runs each captured java command line
# (capture-java-command.sh) in turn, ROUNDS times, and prints per label the median of each figure, then,
# for every label after the first, the median and mean of its per-round differences from the first.
#  timeline: with -Xlog:class+init, four marks of JVM uptime in ms (main() reached: io.nbd4j.cli.Main or
#            the floor's CaptiveFloor initialised; listening: ServerSocketChannelImpl; the command started:
#            ProcessImpl$1; the end: the last class initialised) and the JVM's wall time. A CMDFILE's line
#            must hold -jar or -cp, before which the logging option goes.
#  cpu:      under perf stat, the CPU time (task-clock of the JVM and its children) and the wall time, ms.
mode=$1 n=$2; shift 2
case $mode in
  timeline) names=(main listen spawn end wall) ;;
  cpu) names=(cpu wall) ;;
  *) echo "usage: $0 timeline|cpu ROUNDS LABEL=CMDFILE..." >&2; exit 2 ;;
esac
J=${J:-$(ls -d /usr/lib/jvm/*25*/bin/java | head -n 1)}
variants=("$@"); out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

timeline() { # ARGS...: prints main listen spawn end wall
  local pre=() post=() mode=pre a t0 t1
  for a in "$@"; do
    if [ $mode = pre ] && { [ "$a" = -jar ] || [ "$a" = -cp ]; }; then mode=post; fi
    if [ $mode = pre ]; then pre+=("$a"); else post+=("$a"); fi
  done
  t0=$EPOCHREALTIME
  "$J" "${pre[@]}" -Xlog:class+init=info:file="$out/log":uptimenanos "${post[@]}" >/dev/null 2>&1
  t1=$EPOCHREALTIME
  awk -v w=$(( ${t1/./} - ${t0/./} )) '/CaptiveFloor.\(no|cli\/Main.\(no/{m=substr($1,2)+0} /ProcessImpl\$1/{p=substr($1,2)+0} /ServerSocketChannelImpl. /{if(!l)l=substr($1,2)+0} END{e=substr($1,2)+0; printf "%.1f %.1f %.1f %.1f %.1f\n", m/1e6, l/1e6, p/1e6, e/1e6, w/1e3}' "$out/log"
}

cpu() { # ARGS...: prints cpu wall
  local t0 t1 c
  t0=$EPOCHREALTIME
  c=$(perf stat -x, -e task-clock "$J" "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1)
  t1=$EPOCHREALTIME
  printf '%s %.1f\n' "$c" "$(( ${t1/./} - ${t0/./} ))e-3"
}

for ((i = 0; i < n; i++)); do
  for v in "${variants[@]}"; do
    eval "set -- $(cat "${v#*=}")"
    "$mode" "$@" >>"$out/${v%%=*}"
  done
done
for v in "${variants[@]}"; do
  awk -v l="${v%%=*}" -v names="${names[*]}" 'BEGIN{k=split(names, nm, " ")} {for(i=1;i<=k;i++) a[i][NR]=$i}
    END{printf "%-10s", l; for(i=1;i<=k;i++){c=asort(a[i]); printf " %s %.1f", nm[i], a[i][int((c+1)/2)]} print ""}' "$out/${v%%=*}"
done
first=${variants[0]%%=*}
for v in "${variants[@]:1}"; do
  paste "$out/$first" "$out/${v%%=*}" | awk -v l="${v%%=*}" -v f="$first" -v names="${names[*]}" '
    BEGIN{k=split(names, nm, " ")} {for(i=1;i<=k;i++){d[i][NR]=$(i+k)-$i; s[i]+=d[i][NR]}}
    END{printf "paired %s-%s:", l, f; for(i=1;i<=k;i++){c=asort(d[i]); printf " %s median %+.1f mean %+.1f;", nm[i], d[i][int((c+1)/2)], s[i]/c} printf " (%d rounds)\n", c}'
done
