package io.nbd4j.server.transmission;

/**
 * A moving average of how long one connection's requests take to run and reply, used to decide
 * whether the reader may run a request itself. Starts out "slow", so the first requests of a
 * connection run on their own threads and a plugin call that blocks (a held lock, a slow script)
 * never keeps the reader from starting the requests pipelined behind it; about sixteen fast
 * requests earn the reader's help, and one slow request moves the average past the limit again.
 *
 * <p><b>Threads.</b> Recorded by every request thread of the connection and read by its reader; an
 * update racing with another may be lost, which only makes the average a little less exact.
 */
final class ServiceTime {
    /** Requests averaging less than this run on the reader when nothing else runs. */
    static final long FAST_NANOS = 50_000;
    /** Each sample moves the average by 1/8 of the difference. */
    private static final int WEIGHT_SHIFT = 3;

    private volatile long averageNanos = 8 * FAST_NANOS;

    void record(long nanos) {
        long average = averageNanos;
        averageNanos = average + ((nanos - average) >> WEIGHT_SHIFT);
    }

    boolean isFast() {
        return averageNanos < FAST_NANOS;
    }
}
