package io.nbd4j.filters.rate;

/**
 * A token bucket (as nbdkit's rate filter keeps one): tokens are bits, added at {@code rate} per second
 * up to a capacity of {@code rate × burstiness} seconds' worth, and the bucket starts full. A call
 * takes the bits it moves; when too few are there it takes what there is and is told how long to
 * sleep before taking the rest. A rate of 0 means no limit.
 *
 * <p><b>Threads.</b> Thread-safe. Every method holds the bucket's monitor for a little arithmetic
 * only; callers sleep outside it, so a sleeping request holds up nobody.
 */
final class TokenBucket {
    private final double burstiness;
    private long rate;
    private double capacity;
    private double level;
    private long lastNanos;

    /** A full bucket; {@code burstiness} is its capacity in seconds at the rate. */
    TokenBucket(long rate, double burstiness, long nowNanos) {
        this.burstiness = burstiness;
        this.rate = rate;
        this.capacity = rate * burstiness;
        this.level = capacity;
        this.lastNanos = nowNanos;
    }

    /**
     * Takes up to {@code bits} tokens.
     *
     * @return how many bits are still to take, after sleeping {@link #nanosFor} them; 0 when all were taken
     */
    synchronized double take(double bits, long nowNanos) {
        if (rate == 0) {
            return 0;
        }
        long elapsed = Math.max(0, nowNanos - lastNanos);
        level = Math.min(capacity, level + rate * (elapsed / 1e9));
        lastNanos = nowNanos;
        if (level >= bits) {
            level -= bits;
            return 0;
        }
        double rest = bits - level;
        level = 0;
        return rest;
    }

    /**
     * How long to sleep before taking again, owing {@code bits}: the time to add them at the current
     * rate, but no more than it takes to fill the bucket, since tokens beyond its capacity would be
     * lost (nbdkit sleeps for all of them, so a request larger than its bucket passes below the rate).
     */
    synchronized long nanosFor(double bits) {
        return rate == 0 ? 0 : (long) Math.ceil(Math.min(bits, capacity) * 1e9 / rate);
    }

    /** Changes the rate; the capacity follows, and tokens above it are dropped. */
    synchronized long adjust(long newRate) {
        long old = rate;
        rate = newRate;
        capacity = newRate * burstiness;
        level = Math.min(level, capacity);
        return old;
    }

    synchronized long rate() {
        return rate;
    }
}
