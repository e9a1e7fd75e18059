package io.nbd4j.filters.rate;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file holding a rate ({@code rate-file=}, {@code connection-rate-file=}), read to adjust a
 * {@link TokenBucket} while the server runs. Its first line is a rate as the parameters take it
 * ({@code 10M}). A missing file or one that does not parse leaves the rate as it was. The file is
 * read at most once per {@link #RECHECK_NANOS} per reader, so a busy server does not open it for
 * every request (nbdkit reads it for every request).
 *
 * <p><b>Threads.</b> Thread-safe: one caller at a time wins the right to read, the others go on.
 */
final class RateFile {
    private static final Logger LOG = LoggerFactory.getLogger(RateFile.class);
    /** How stale a rate may be: a tenth of a second. */
    static final long RECHECK_NANOS = 100_000_000L;

    private final Path path;
    private final AtomicLong nextCheck;

    RateFile(Path path, long nowNanos) {
        this.path = path;
        this.nextCheck = new AtomicLong(nowNanos);
    }

    /** Adjusts {@code bucket} to the file's rate if it is time to look and the file holds one. */
    void maybeAdjust(TokenBucket bucket, long nowNanos) {
        long due = nextCheck.get();
        if (nowNanos - due < 0 || !nextCheck.compareAndSet(due, nowNanos + RECHECK_NANOS)) {
            return;
        }
        Long rate = read();
        if (rate != null) {
            long old = bucket.adjust(rate);
            if (old != rate) {
                LOG.debug("rate: adjusted from {} to {} bits per second ({})", old, rate, path);
            }
        }
    }

    private Long read() {
        String line;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            line = in.readLine();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.debug("rate: cannot read {}: {}", path, e.toString());
            return null;
        }
        if (line == null) {
            return null;
        }
        try {
            return Values.parseSize(path.toString(), line.strip());
        } catch (ConfigException e) {
            LOG.debug("rate: {}", e.getMessage());
            return null;
        }
    }
}
