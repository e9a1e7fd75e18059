package io.nbd4j.filters.luks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks for the sectors that partial writes read, change and write back: a fixed set of locks, a
 * sector taking the lock of its number modulo the set's size. A write touches at most its first and
 * last sector partly, so it takes those two locks, in index order so that two writes never wait for
 * each other in a circle.
 *
 * <p><b>Threads.</b> Thread-safe; the locks are held by the writing thread until {@link #unlock}.
 */
final class SectorLocks {
    private final ReentrantLock[] locks;

    SectorLocks(int count) {
        locks = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Takes the locks of sectors {@code first} and {@code last}; returns what to pass to {@link #unlock}. */
    ReentrantLock[] lock(long first, long last) {
        int a = (int) Long.remainderUnsigned(first, locks.length);
        int b = (int) Long.remainderUnsigned(last, locks.length);
        ReentrantLock[] held = a == b ? new ReentrantLock[] {locks[a]}
                : new ReentrantLock[] {locks[Math.min(a, b)], locks[Math.max(a, b)]};
        for (ReentrantLock lock : held) {
            lock.lock();
        }
        return held;
    }

    static void unlock(ReentrantLock[] held) {
        for (int i = held.length - 1; i >= 0; i--) {
            held[i].unlock();
        }
    }
}
