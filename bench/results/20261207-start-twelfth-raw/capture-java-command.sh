#!/bin/bash
# capture-java-command.sh OUT LAUNCHER ARGS...: writes the java command line LAUNCHER would run (its options and
# arguments, shell-quoted on one line) to OUT, using a stand-in java that prints its arguments. OUT is what
# alternate-jvm.sh takes.
set -euo pipefail
out=$1; shift
stand_in=$(mktemp -d)
trap 'rm -rf "$stand_in"' EXIT
mkdir -p "$stand_in/bin"
echo 'JAVA_VERSION="25"' >"$stand_in/release"
printf '#!/bin/bash\nprintf "%%q " "$@" >%q\n' "$out" >"$stand_in/bin/java"
chmod +x "$stand_in/bin/java"
NBD4J_JAVA="$stand_in/bin/java" "$@"
