#!/usr/bin/env bash
# like fio.sh but the file plugin on a fresh 1 GiB file filled with the random data
set -u
name=$1 bs=$2 qd=$3; shift 3
f=/tmp/writes-ab/fdisk/$name.img; cp /tmp/writes-ab/random.img $f
exec /tmp/writes-ab/fio.sh "$name" "file $f" "$bs" "$qd" 0 "$@"
