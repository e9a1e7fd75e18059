#!/bin/sh
# A plugin for the sh plugin protocol (nbdkit's and nbd4j's) that is deliberately NOT multi-conn
# consistent, so that a missing flush shows up as a stale read on another connection.
#
# Every connection has a private cache of 4 KiB blocks in its own directory (the handle):
#   pread  serves the connection's cached copy of a block; a block it has not cached is read from the
#          export's shared disk file AND kept in the cache, so a later read can be stale;
#   pwrite puts the data in the connection's cache only and marks the block dirty; with the fua flag
#          it also writes the block through to the disk;
#   flush  writes the connection's dirty blocks to the disk and drops its whole cache.
# So after "write on A, flush on A", a connection B that had read the block before still reads the old
# bytes until B itself is flushed. That is exactly what the multi-conn filter's emulate mode must fix by
# replaying the flush on B.
#
# can_multi_conn is false and can_flush is true, as a plugin that needs emulation would answer; can_fua
# is native (fua writes through) so the filter's handling of fua is visible too. The thread model is
# parallel by default: anything stricter than serialize_connections lets several clients in at once,
# and parallel lets the server call a connection's flush while that connection runs its own requests.
# The script itself is safe under any model: one lock file serializes every call that touches state.
# Under serialize_requests it also checks that the server keeps its promise of one call at a time per
# connection, replayed flushes included, and fails a call that overlaps another on the same connection.
#
# Parameters: thread_model=MODEL (default parallel), exports=a,b,... (list these exports, one disk
# each, and refuse other names; default: any name, one disk per name), can_flush=false,
# failing_flush_block=N (a connection that has read block N fails every flush with EIO, writing nothing).
# Requests must be 4 KiB aligned; the export is 64 KiB (16 blocks).

block=4096
blocks=16

fail() {
    echo "$*" >&2
    exit 1
}

# Serialize every stateful call: replays from other connections may run beside this connection's own.
lock() {
    exec 9>"$tmpdir/lock"
    flock 9
}

setting() {
    cat "$tmpdir/setting-$1" 2>/dev/null || echo "$2"
}

# Checks alignment and sets first/count_blocks for a COUNT OFFSET request.
blocks_of() {
    [ $(($1 % block)) -eq 0 ] && [ $(($2 % block)) -eq 0 ] || fail "EINVAL unaligned request: $1 bytes at $2"
    first=$(($2 / block))
    count_blocks=$(($1 / block))
}

# Under serialize_requests, claims the connection for this call (released at exit) or fails the call.
enter() {
    [ "$(setting thread_model parallel)" = serialize_requests ] || return 0
    mkdir "$1/busy" 2>/dev/null || fail "EIO two calls at once on one connection under serialize_requests"
    trap "rmdir '$1/busy'" EXIT
}

disk_of() {
    echo "$tmpdir/disk-$(cat "$1/export")"
}

case "$1" in
    config)
        case "$2" in
            thread_model|exports|can_flush|failing_flush_block) printf '%s\n' "$3" > "$tmpdir/setting-$2" ;;
            *) fail "EINVAL unknown parameter '$2' (accepted: thread_model, exports, can_flush, failing_flush_block)" ;;
        esac
        ;;
    thread_model)
        setting thread_model parallel
        ;;
    list_exports)
        echo NAMES
        setting exports "" | tr ',' '\n'
        ;;
    open)
        export_name=$3
        case "$export_name" in */*|.*) fail "EINVAL export name '$export_name' is not a plain name" ;; esac
        allowed=$(setting exports "")
        if [ -n "$allowed" ]; then
            case ",$allowed," in *",$export_name,"*) ;; *) fail "EINVAL no export named '$export_name'" ;; esac
        fi
        lock
        disk="$tmpdir/disk-$export_name"
        [ -e "$disk" ] || truncate -s $((block * blocks)) "$disk"
        handle=$(mktemp -d "$tmpdir/conn-XXXXXX") || fail "cannot make a connection directory"
        printf '%s' "$export_name" > "$handle/export"
        echo "$handle"
        ;;
    close)
        lock
        rm -rf "$2"
        ;;
    get_size)
        echo $((block * blocks))
        ;;
    can_write)
        exit 0
        ;;
    can_flush)
        [ "$(setting can_flush true)" = true ] || exit 3
        ;;
    can_fua)
        echo native
        ;;
    can_multi_conn|can_trim|can_zero|can_extents|is_rotational)
        exit 3
        ;;
    pread)
        blocks_of "$3" "$4"
        enter "$2"
        lock
        disk=$(disk_of "$2")
        b=$first
        while [ $b -lt $((first + count_blocks)) ]; do
            [ -e "$2/cache-$b" ] || dd if="$disk" of="$2/cache-$b" bs=$block skip=$b count=1 status=none
            [ "$b" != "$(setting failing_flush_block none)" ] || : > "$2/flush-fails"
            cat "$2/cache-$b"
            b=$((b + 1))
        done
        ;;
    pwrite)
        blocks_of "$3" "$4"
        enter "$2"
        lock
        disk=$(disk_of "$2")
        b=$first
        while [ $b -lt $((first + count_blocks)) ]; do
            dd of="$2/cache-$b" bs=$block count=1 iflag=fullblock status=none
            : > "$2/dirty-$b"
            case ",$5," in
                *,fua,*)
                    dd if="$2/cache-$b" of="$disk" bs=$block seek=$b conv=notrunc status=none
                    rm -f "$2/dirty-$b"
                    ;;
            esac
            b=$((b + 1))
        done
        ;;
    flush)
        enter "$2"
        [ ! -e "$2/flush-fails" ] || fail "EIO this connection read the failing block; its flushes fail"
        lock
        disk=$(disk_of "$2")
        for dirty in "$2"/dirty-*; do
            [ -e "$dirty" ] || continue
            b=${dirty##*/dirty-}
            dd if="$2/cache-$b" of="$disk" bs=$block seek=$b conv=notrunc status=none
        done
        rm -f "$2"/cache-* "$2"/dirty-*
        ;;
    load|unload|config_complete|get_ready|after_fork|preconnect)
        ;;
    *)
        exit 2
        ;;
esac
