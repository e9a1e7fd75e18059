#!/bin/bash
# dstat.sh CMD...: runs CMD and prints the device's write and flush requests during it
a=($(cat /sys/block/vda/stat)); "$@"; b=($(cat /sys/block/vda/stat))
echo "   vda: writes=$((b[4]-a[4])) flushes=$((b[15]-a[15])) flush_ms=$((b[16]-a[16])) write_ms=$((b[7]-a[7]))"
