package io.nbd4j.server.transmission;

/**
 * A moving average of how long one connection's requests take to run and reply, used to decide
 * whether the reader may run a request itself. Starts out "slow", so the first requests of a
 * connection run on their own threads and a plugin call that blocks (a held lock, a slow script)
 * never keeps the reader from starting the requests pipelined behind it; about twenty fast
 * requests earn the reader's help.
 *
 * <p>A request's time is wall time, so it also counts the time its thread waited for a CPU. On a
 * shared two-core machine 5–12% of fast requests measured 64 µs to 16 ms that way (4 KiB reads of the
 * file plugin at queue depth 1, other work on both cores), and the average used to take each such
 * sample in full: two of them close together made the connection "slow", and up to half of its
 * requests then went to a thread of their own, each paying a hand-off and a second wake-up
 * (bench/results/20261206-qd1.md). So a sample below
 * {@link #BLOCKED_NANOS} counts as at most {@link #NOISE_CAP_NANOS}: it takes several slow requests
 * close together to take the reader's help away, while a call that blocked for longer than a
 * scheduler's time slice still takes it away at once.
 *
 * <p><b>Threads.</b> Recorded by every request thread of the connection and read by its reader; an
 * update racing with another may be lost, which only makes the average a little less exact.
 */
final class ServiceTime {
    /** Requests averaging less than this run on the reader when nothing else runs. */
    static final long FAST_NANOS = 50_000;
    /** Samples shorter than {@link #BLOCKED_NANOS} count as at most this. */
    static final long NOISE_CAP_NANOS = 2 * FAST_NANOS;
    /** A sample at least this long is a call that blocked (not a thread waiting for a CPU) and counts in full. */
    static final long BLOCKED_NANOS = 5_000_000;
    /** Each sample moves the average by 1/8 of the difference. */
    private static final int WEIGHT_SHIFT = 3;

    private volatile long averageNanos = 8 * FAST_NANOS;

    void record(long nanos) {
        long sample = nanos >= BLOCKED_NANOS ? nanos : Math.min(nanos, NOISE_CAP_NANOS);
        long average = averageNanos;
        averageNanos = average + ((sample - average) >> WEIGHT_SHIFT);
    }

    boolean isFast() {
        return averageNanos < FAST_NANOS;
    }
}
