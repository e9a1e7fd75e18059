package io.nbd4j.filters.rate;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One limit a call must pass: a {@link TokenBucket}, kept at the rate its file says when it has one.
 *
 * <p><b>Threads.</b> Thread-safe; a caller that must wait sleeps holding nothing.
 */
final class Throttle {
    private final TokenBucket bucket;
    private final RateFile file;
    private final LongSupplier clock;

    /** {@code rate} 0 is unlimited (until the file, if any, says otherwise). */
    Throttle(long rate, double burstiness, Path file) {
        this(rate, burstiness, file, System::nanoTime);
    }

    /** With {@code clock} as the source of nanosecond times. */
    Throttle(long rate, double burstiness, Path file, LongSupplier clock) {
        this.clock = clock;
        long now = clock.getAsLong();
        this.bucket = new TokenBucket(rate, burstiness, now);
        this.file = file == null ? null : new RateFile(file, now);
    }

    /** Waits until {@code bytes} may pass; the connection's end cuts the wait short with ESHUTDOWN. */
    void pass(long bytes, ClientConnection connection) throws NbdException {
        if (file != null) {
            file.maybeAdjust(bucket, clock.getAsLong());
        }
        double bits = bytes * 8.0;
        while ((bits = bucket.take(bits, clock.getAsLong())) > 0) {
            connection.sleep(Duration.ofNanos(bucket.nanosFor(bits)));
        }
    }
}
