package io.nbd4j.filters.retry;

import io.nbd4j.filters.common.RetryPolicy;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The retry filter for one connection. A data call that fails waits (the policy's delay, doubled
 * each time if exponential), reopens the layers below through the {@link NextOpener} (read-only from
 * then on with {@code retry-readonly}), and is made again, up to the policy's retries; a reopen that
 * fails counts as a failed retry. Before each attempt the call is checked against what the layers
 * below, as now opened, can do: a range past their size, or a capability they lost, fails the attempt
 * (and is retried) rather than reaching them.
 *
 * <p><b>Threads.</b> Requests run in parallel, unlike nbdkit's filter, which serializes them: every
 * call to the layers below holds the read side of a read-write lock, and a reopen holds the write
 * side, so layers are never closed under a running call. Several calls that fail together reopen
 * once: each remembers the generation of the layers it failed on, and a reopen is skipped if the
 * layers were replaced since. {@code current}, {@code generation} and {@code reopens} are guarded by
 * the lock; {@code current} is null after a reopen failed, until one succeeds.
 */
final class RetryHandle extends FilterHandle {
    private static final Logger LOG = LoggerFactory.getLogger(RetryHandle.class);

    @FunctionalInterface
    private interface Call {
        void run(Next next) throws IOException;
    }

    private final NextOpener opener;
    private final OpenRequest request;
    private final RetryPolicy policy;
    private final boolean readOnlyAfterFailure;
    private final ClientConnection connection;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Next current;
    private long generation;
    private long reopens;

    RetryHandle(Next next, NextOpener opener, OpenRequest request, RetryPolicy policy, boolean readOnlyAfterFailure) {
        super(next);
        this.current = next;
        this.opener = opener;
        this.request = request;
        this.policy = policy;
        this.readOnlyAfterFailure = readOnlyAfterFailure;
        this.connection = request.connection();
    }

    /**
     * Makes {@code call} on the layers below until it succeeds or the retries are spent; the failure the
     * client sees is the last one. {@code writes}: it changes the disk, which {@code retry-readonly}
     * refuses once a failure happened.
     */
    private void withRetries(String what, boolean writes, Call call) throws IOException {
        withRetries(what, writes, false, call);
    }

    /**
     * With {@code fast} (a fast zero), a failure with ENOTSUP reaches the client at once, as nbdkit's
     * filter does: waiting to retry would defeat a request that must fail fast.
     */
    private void withRetries(String what, boolean writes, boolean fast, Call call) throws IOException {
        RetryPolicy.Attempts attempts = policy.attempts();
        while (true) {
            long seen;
            IOException failure;
            lock.readLock().lock();
            try {
                seen = generation;
                if (writes && readOnlyAfterFailure && reopens > 0) {
                    throw new NbdException(NbdError.EPERM, "retry: " + what + " refused: read-only since a failure (retry-readonly)");
                }
                Next below = current;
                if (below == null) {
                    failure = new NbdException(NbdError.ESHUTDOWN, "retry: the layers below could not be reopened");
                } else {
                    try {
                        call.run(below);
                        return;
                    } catch (IOException e) {
                        failure = e;
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            LOG.info("retry: {} failed: {}", what, failure.getMessage());
            if (fast && NbdException.errorOf(failure) == NbdError.ENOTSUP || !attempts.waitForAnother(connection)) {
                throw failure;
            }
            LOG.info("retry: retry {} of {}", attempts.made(), what);
            reopen(seen);
        }
    }

    /** Reopens the layers below unless another call did since generation {@code seen}; a failure is only logged. */
    private void reopen(long seen) {
        lock.writeLock().lock();
        try {
            if (generation != seen) {
                return;
            }
            generation++;
            reopens++;
            current = null;
            current = opener.reopen(readOnlyAfterFailure ? request.readOnlyBelow() : request);
        } catch (IOException | RuntimeException e) {
            LOG.warn("retry: reopening the layers below failed: {}", e.toString());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        if (reopens > 0) {
            LOG.info("retry: connection {} needed {} reopen(s)", request.connectionId(), reopens);
        }
    }

    // ---- checks against the layers below as they are now ----

    private static void requireRange(Next below, long length, long offset, boolean write) throws IOException {
        if (offset + length > below.size()) {
            throw new NbdException(write ? NbdError.ENOSPC : NbdError.EIO, "retry: " + offset + "+" + length
                    + " is past the end of the reopened layers below (" + below.size() + " bytes)");
        }
    }

    private static void requireFua(Next below, int flags) throws IOException {
        if (Flags.has(flags, Flags.FUA) && below.canFua() == FuaMode.NONE) {
            throw new NbdException(NbdError.EIO, "retry: the reopened layers below have no FUA");
        }
    }

    private static void require(boolean can, NbdError error, String what) throws NbdException {
        if (!can) {
            throw new NbdException(error, "retry: the reopened layers below cannot " + what);
        }
    }

    // ---- data ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        withRetries("pread", false, below -> {
            requireRange(below, buffer.remaining(), offset, false);
            below.pread(buffer.duplicate(), offset, flags);
        });
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        withRetries("pwrite", true, below -> {
            requireRange(below, buffer.remaining(), offset, true);
            require(below.canWrite(), NbdError.EPERM, "write");
            requireFua(below, flags);
            below.pwrite(buffer.duplicate(), offset, flags);
        });
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        withRetries("trim", true, below -> {
            requireRange(below, length, offset, true);
            require(below.canTrim(), NbdError.EPERM, "trim");
            requireFua(below, flags);
            below.trim(length, offset, flags);
        });
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        boolean fast = Flags.has(flags, Flags.FAST_ZERO);
        if (fast) {
            failFastUnlessFastZero();
        }
        withRetries("zero", true, fast, below -> {
            requireRange(below, length, offset, true);
            require(below.canWrite(), NbdError.EPERM, "zero");
            if (fast) {
                require(below.canFastZero(), NbdError.ENOTSUP, "zero fast");
            }
            requireFua(below, flags);
            below.zero(length, offset, flags);
        });
    }

    /** A fast zero the layers below can no longer do fails at once, as a fast zero must. */
    private void failFastUnlessFastZero() throws IOException {
        lock.readLock().lock();
        try {
            if (current == null || !current.canFastZero()) {
                throw new NbdException(NbdError.ENOTSUP, "retry: the layers below cannot zero fast now");
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        withRetries("flush", false, below -> {
            require(below.canFlush(), NbdError.EIO, "flush");
            below.flush(flags);
        });
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        withRetries("cache", false, below -> {
            requireRange(below, length, offset, false);
            require(below.canCache() != CacheMode.NONE, NbdError.EIO, "cache");
            below.cache(length, offset, flags);
        });
    }

    /** Each attempt collects the extents afresh; only the one that succeeded passes them on. */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        ExtentList[] got = new ExtentList[1];
        withRetries("extents", false, below -> {
            requireRange(below, length, offset, false);
            require(below.canExtents(), NbdError.EIO, "report extents");
            got[0] = new ExtentList(offset, below.size());
            below.extents(length, offset, flags, got[0]);
        });
        got[0].sendTo(extents);
    }
}
