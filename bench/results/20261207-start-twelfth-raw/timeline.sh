#!/bin/bash
# timeline.sh ROUNDS LABEL=CMDFILE...: runs each captured java command line (capture-java-command.sh) in turn,
# ROUNDS times, with -Xlog:class+init, and prints per label the medians of: main() reached, listening
# (ServerSocketChannelImpl initialised), the command started (ProcessImpl$1), the last class initialised
# (~ the end), in ms of JVM uptime, and the wall time of the JVM; then, for every label after the first,
# the median and mean of its per-round differences from the first. A CMDFILE's line must hold -jar or -cp.
J=${J:-$(ls -d /usr/lib/jvm/*25*/bin/java | head -n 1)}
n=$1; shift
variants=("$@"); out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 0; i < n; i++)); do
  for v in "${variants[@]}"; do
    label=${v%%=*}; eval "set -- $(cat "${v#*=}")"
    pre=(); post=(); mode=pre
    for a in "$@"; do
      if [ $mode = pre ] && { [ "$a" = -jar ] || [ "$a" = -cp ]; }; then mode=post; fi
      if [ $mode = pre ]; then pre+=("$a"); else post+=("$a"); fi
    done
    t0=$EPOCHREALTIME
    "$J" "${pre[@]}" -Xlog:class+init=info:file="$out/log":uptimenanos "${post[@]}" >/dev/null 2>&1
    t1=$EPOCHREALTIME
    awk -v w=$(( ${t1/./} - ${t0/./} )) '/CaptiveFloor.\(no|cli\/Main.\(no/{m=substr($1,2)+0} /ProcessImpl\$1/{p=substr($1,2)+0} /ServerSocketChannelImpl /{if(!l)l=substr($1,2)+0} END{e=substr($1,2)+0; printf "%.1f %.1f %.1f %.1f %.1f\n", m/1e6, l/1e6, p/1e6, e/1e6, w/1e3}' "$out/log" >>"$out/$label"
  done
done
for v in "${variants[@]}"; do
  label=${v%%=*}
  awk -v l="$label" '{for(i=1;i<=5;i++) a[i][NR]=$i} END{printf "%-10s", l; split("main listen spawn end wall",nm," "); for(i=1;i<=5;i++){k=asort(a[i]); printf " %s %.1f", nm[i], a[i][int((k+1)/2)]} print ""}' "$out/$label"
done
first=${variants[0]%%=*}
for v in "${variants[@]:1}"; do
  label=${v%%=*}
  paste "$out/$first" "$out/$label" | awk -v l="$label" -v f="$first" '{d[NR]=$10-$5; e[NR]=$9-$4; sd+=d[NR]; se+=e[NR]} END{k=asort(d); asort(e); printf "paired %s-%s: wall median %+.1f mean %+.1f; end median %+.1f mean %+.1f (%d rounds)\n", l, f, d[int((k+1)/2)], sd/k, e[int((k+1)/2)], se/k, k}'
done
