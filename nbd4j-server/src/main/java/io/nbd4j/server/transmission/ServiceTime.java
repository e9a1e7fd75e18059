package io.nbd4j.server.transmission;

/**
 * A moving average of how long one connection's requests take to run and reply, used to decide
 * whether the reader may run a request itself. Starts out "fast": one slow request is enough to
 * move the average past the limit, so a slow plugin runs at most one request on the reader.
 *
 * <p><b>Threads.</b> Recorded by every request thread of the connection and read by its reader; an
 * update racing with another may be lost, which only makes the average a little less exact.
 */
final class ServiceTime {
    /** Requests averaging less than this run on the reader when nothing else runs. */
    static final long FAST_NANOS = 50_000;
    /** Each sample moves the average by 1/8 of the difference. */
    private static final int WEIGHT_SHIFT = 3;

    private volatile long averageNanos;

    void record(long nanos) {
        long average = averageNanos;
        averageNanos = average + ((nanos - average) >> WEIGHT_SHIFT);
    }

    boolean isFast() {
        return averageNanos < FAST_NANOS;
    }
}
