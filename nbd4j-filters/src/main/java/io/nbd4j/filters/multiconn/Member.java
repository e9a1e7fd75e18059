package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.Next;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;

/**
 * One connection as its group sees it: the layer below for that connection and what it may hold in a
 * cache of its own.
 *
 * <p><b>Threads.</b> The connection's own request threads mark it; flush rounds of its group run on other
 * threads and take its bits. Bits change only by atomic read-modify-write, so a mark is never lost to a
 * concurrent clear: a round clears the bits it is about to flush with a compare-and-set and puts them
 * back if that flush fails. Read counts only grow. {@link #replayFlush} (shared: overlapping rounds may
 * flush one connection at once) and {@link #depart} (exclusive) share a lock so that a round never
 * calls a connection that has already left (the server closes the layers below right after).
 */
final class Member {
    /** Writes since the last flush of this connection may sit in its cache. */
    static final int WRITE = 1;
    /** Reads since the last flush of this connection may have cached data that other connections replace. */
    static final int READ = 2;

    private final Next next;
    private final AtomicInteger bits = new AtomicInteger();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final AtomicLong readsBegun = new AtomicLong();
    private final AtomicLong readsEnded = new AtomicLong();
    /**
     * Held shared by each read while it runs below; a round takes it exclusively, and at once lets it go,
     * to wait for the reads in flight. A read that began before the round's publishers finished may cache
     * old data and mark READ only after the round looked at the bits; waiting for it closes that window.
     */
    private final ReentrantReadWriteLock readsInFlight = new ReentrantReadWriteLock();
    private boolean departed;
    /** The layer below promises that a flush on any connection publishes every connection's writes. */
    private volatile boolean consistentBelow;

    Member(Next next) {
        this.next = next;
    }

    /** Set before the member joins a group, from the layer below's multi-conn answer. */
    void consistentBelow(boolean consistent) {
        consistentBelow = consistent;
    }

    boolean consistentBelow() {
        return consistentBelow;
    }

    /** Marks READ and counts the read as in flight until {@link #endRead}, which the same thread must call. */
    void beginRead() {
        readsInFlight.readLock().lock();
        readsBegun.incrementAndGet();
        mark(READ);
    }

    /** Marks READ again (a round may have taken the first mark while the read ran) and ends the read. */
    void endRead() {
        try {
            mark(READ);
            readsEnded.incrementAndGet();
        } finally {
            readsInFlight.readLock().unlock();
        }
    }

    /**
     * How many reads have begun, or -1 if one may be in flight; with {@link #readSince} a round tells
     * whether a read overlapped it. Ended is read before begun, so equal counts mean that no read was in
     * flight at the first look and none began before the second.
     */
    long readsBegunIfNoneInFlight() {
        long ended = readsEnded.get();
        long begun = readsBegun.get();
        return ended == begun ? begun : -1;
    }

    /** Whether a read was in flight at, or began after, the call that returned {@code count}. */
    boolean readSince(long count) {
        return count < 0 || readsBegun.get() > count;
    }

    /** Returns once every read that was in flight when this was called has ended and marked READ. */
    void awaitReadsInFlight() {
        Lock exclusive = readsInFlight.writeLock();
        exclusive.lock();
        exclusive.unlock();
    }

    void markWritten() {
        mark(WRITE);
    }

    private void mark(int bit) {
        // A plain read first: the common case is "already set", and then no shared write happens.
        if ((bits.get() & bit) == 0) {
            bits.getAndUpdate(b -> b | bit);
        }
    }

    int bits() {
        return bits.get();
    }

    /**
     * Clears every bit if {@code needsFlush} holds for the current bits, atomically.
     *
     * @return the bits cleared, or -1 when the connection needs no flush
     */
    int takeIf(IntPredicate needsFlush) {
        while (true) {
            int old = bits.get();
            if (!needsFlush.test(old)) {
                return -1;
            }
            if (bits.compareAndSet(old, 0)) {
                return old;
            }
        }
    }

    /** Clears only {@code bit}; returns whether it was set. */
    boolean takeBit(int bit) {
        return (bits.getAndUpdate(b -> b & ~bit) & bit) != 0;
    }

    /** Puts back bits whose flush failed. */
    void restore(int old) {
        if (old > 0) {
            bits.getAndUpdate(b -> b | old);
        }
    }

    /** Flushes this connection after its bits were taken; on failure the bits are restored and the error thrown. */
    void flushTaken(int taken, int flags) throws IOException {
        try {
            next.flush(flags);
        } catch (IOException | RuntimeException e) {
            restore(taken);
            throw e;
        }
    }

    /**
     * Flushes this connection on behalf of a group round, through its own {@link Next} (and so through
     * its own serialization).
     *
     * @return false when the connection has left the group and was not called
     */
    boolean replayFlush(int taken) throws IOException {
        Lock shared = lifecycle.readLock();
        shared.lock();
        try {
            if (departed) {
                return false;
            }
            flushTaken(taken, 0);
            return true;
        } finally {
            shared.unlock();
        }
    }

    /** Waits for the replayed flushes in progress, then makes sure no round calls this connection again. */
    void depart() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            departed = true;
        } finally {
            exclusive.unlock();
        }
    }
}
