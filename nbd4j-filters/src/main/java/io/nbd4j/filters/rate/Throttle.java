package io.nbd4j.filters.rate;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One limit a call must pass: a {@link TokenBucket}, kept at the rate its file says when it has one.
 *
 * <p><b>Threads.</b> Thread-safe; a caller that must wait sleeps holding nothing.
 */
final class Throttle {
    private final TokenBucket bucket;
    private final RateFile file;

    /** {@code rate} 0 is unlimited (until the file, if any, says otherwise). */
    Throttle(long rate, double burstiness, Path file) {
        long now = System.nanoTime();
        this.bucket = new TokenBucket(rate, burstiness, now);
        this.file = file == null ? null : new RateFile(file, now);
    }

    /** Waits until {@code bytes} may pass; the connection's end cuts the wait short with ESHUTDOWN. */
    void pass(long bytes, ClientConnection connection) throws NbdException {
        if (file != null) {
            file.maybeAdjust(bucket, System.nanoTime());
        }
        long bits = bytes * 8;
        while ((bits = bucket.take(bits, System.nanoTime())) > 0) {
            connection.sleep(Duration.ofNanos(bucket.nanosFor(bits)));
        }
    }
}
