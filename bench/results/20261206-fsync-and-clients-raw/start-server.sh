# Sourced by run1.sh and run2.sh: parses "LABEL SERVERCMD... --", starts the server in the foreground
# on a Unix socket in a new directory $d and sets $label, $pid; the caller's "$@" is left with FIOARGS.
label=$1; shift
srv=(); while [ "$1" != "--" ]; do srv+=("$1"); shift; done; shift
d=$(mktemp -d /tmp/f-fsync/r.XXXX)
"${srv[0]}" -f -U $d/sock -P $d/pid "${srv[@]:1}" >$d/srv.log 2>&1 &
for i in $(seq 600); do [ -s $d/pid ] && break; sleep 0.1; done
pid=$(cat $d/pid)
