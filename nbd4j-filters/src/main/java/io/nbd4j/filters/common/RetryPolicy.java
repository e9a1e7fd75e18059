package io.nbd4j.filters.common;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import java.time.Duration;

/**
 * How the retry filters retry a failed call: how many times, how long to wait before the first retry,
 * and whether each wait doubles the one before. The waits go through the connection's
 * {@link ClientConnection#sleep}, so a disconnect or a shutdown ends them, and the retrying, at once.
 *
 * @param retries     how many retries after the first failure (0: none)
 * @param delay       the wait before the first retry
 * @param exponential whether each further wait is twice the one before
 */
public record RetryPolicy(long retries, Duration delay, boolean exponential) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /** A delay parameter: seconds (fractions and {@code ms}/{@code us}/{@code ns} allowed), not zero. */
    public static Duration parseDelay(String key, String value) throws ConfigException {
        Duration d = Values.parseDuration(key, value);
        if (d.isZero()) {
            throw new ConfigException(key + ": cannot be 0");
        }
        return d;
    }

    /**
     * Opens the layers below for {@code request}, trying again after each failure as this policy says;
     * the last failure is thrown. {@code filter} names the filter in log lines.
     */
    public Next open(NextOpener below, OpenRequest request, String filter) throws IOException {
        Attempts attempts = attempts();
        while (true) {
            try {
                return below.open(request);
            } catch (IOException e) {
                LOG.info("{}: opening failed: {}", filter, e.getMessage());
                if (!attempts.waitForAnother(request.connection())) {
                    throw e;
                }
                LOG.info("{}: retry {} of the open", filter, attempts.made());
            }
        }
    }

    /** The retries of one call, starting now. */
    public Attempts attempts() {
        return new Attempts();
    }

    /** The retries of one call. Not thread-safe: the thread making the call uses it. */
    public final class Attempts {
        private long made;
        private Duration wait = delay;

        private Attempts() {}

        /**
         * Called after a failure: waits before the next retry and returns true, or returns false at once
         * if every retry was made, or false as soon as the connection is ending.
         */
        public boolean waitForAnother(ClientConnection connection) {
            if (made >= retries) {
                return false;
            }
            try {
                connection.sleep(wait);
            } catch (NbdException ending) {
                return false;
            }
            made++;
            if (exponential) {
                wait = wait.multipliedBy(2);
            }
            return true;
        }

        /** How many retries were made so far. */
        public long made() {
            return made;
        }
    }
}
