package io.nbd4j.server.transmission;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ServerRequestHeader;

/**
 * Whether a connection's large writes may run on its reader, by how fast they have been: a
 * {@link ServiceTime} of their time per 64 KiB, so that they earn the reader as fast requests do
 * when they run at 1.25 GiB/s or more, and a write that blocked for 5 ms per 64 KiB takes it away at once.
 *
 * <p>Why: a 1 MiB write takes 100–250 µs to copy, never a fast request by {@link ServiceTime#FAST_NANOS},
 * so it always went to a virtual thread while the reader read the next payload. Run by the reader
 * instead, the server spent 20–35% less CPU per GiB written (fio 1 MiB sequential writes at queue
 * depth 4, memory and file plugins), most of it in the kernel's copy from the socket into the payload
 * buffer and in the scheduler (bench/results/20261206-big-writes.md). A write that blocks (a file's
 * page cache throttled by writeback, a remote plugin) hands the connection's large writes back to
 * threads of their own, so that the requests pipelined behind it start meanwhile, as for any slow request.
 *
 * <p>FUA writes are not large writes here: they wait for the disk by design, and the average is about
 * copying.
 *
 * <p><b>Threads.</b> Recorded by every request thread of the connection and read by its reader, as
 * {@link ServiceTime} is.
 */
final class LargeWrites {
    /** Writes at least this long are large; their times are counted per this many bytes. */
    static final int MIN_BYTES = 64 << 10;

    private final ServiceTime perMinBytes = new ServiceTime();

    static boolean isLarge(ServerRequestHeader r) {
        return r.type() == Command.WRITE && r.length() >= MIN_BYTES && !r.hasFlag(CommandFlags.FUA);
    }

    /** Whether recent large writes were fast enough for the reader to run the next one itself. */
    boolean mayRunOnReader() {
        return perMinBytes.isFast();
    }

    /** Records how long the large write {@code r} took to run and reply. */
    void record(ServerRequestHeader r, long nanos) {
        perMinBytes.record((long) ((double) nanos * MIN_BYTES / r.length()));
    }
}
