package io.nbd4j.filters.retryrequest;

import io.nbd4j.filters.common.RetryPolicy;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The retry-request filter for one connection: each data call that fails is made again, up to the
 * policy's retries, after its delay; the last failure is what the client sees. Each attempt gets a
 * fresh view of the caller's buffer, and extents are collected per attempt and passed on only from
 * the one that succeeded.
 *
 * <p><b>Threads.</b> Any number of request threads; each call's retries are its own.
 */
final class RetryRequestHandle extends FilterHandle {
    private static final Logger LOG = LoggerFactory.getLogger(RetryRequestHandle.class);

    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private final RetryPolicy policy;
    private final ClientConnection connection;

    RetryRequestHandle(Next next, RetryPolicy policy, ClientConnection connection) {
        super(next);
        this.policy = policy;
        this.connection = connection;
    }

    private void withRetries(String what, Call call) throws IOException {
        withRetries(what, call, false);
    }

    /** With {@code fast}, a fast zero's ENOTSUP is passed on at once: waiting to retry it would defeat it. */
    private void withRetries(String what, Call call, boolean fast) throws IOException {
        RetryPolicy.Attempts attempts = policy.attempts();
        while (true) {
            try {
                call.run();
                return;
            } catch (IOException e) {
                LOG.info("retry-request: {} failed: {}", what, e.getMessage());
                if (fast && NbdException.errorOf(e) == NbdError.ENOTSUP || !attempts.waitForAnother(connection)) {
                    throw e;
                }
                LOG.info("retry-request: retry {} of {}", attempts.made(), what);
            }
        }
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        withRetries("pread", () -> next.pread(buffer.duplicate(), offset, flags));
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        withRetries("pwrite", () -> next.pwrite(buffer.duplicate(), offset, flags));
    }

    @Override
    public void flush(int flags) throws IOException {
        withRetries("flush", () -> next.flush(flags));
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        withRetries("trim", () -> next.trim(length, offset, flags));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        withRetries("zero", () -> next.zero(length, offset, flags), Flags.has(flags, Flags.FAST_ZERO));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        withRetries("cache", () -> next.cache(length, offset, flags));
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        ExtentList[] got = new ExtentList[1];
        withRetries("extents", () -> {
            got[0] = new ExtentList(offset, next.size());
            next.extents(length, offset, flags, got[0]);
        });
        got[0].sendTo(extents);
    }
}
