package io.nbd4j.filters.blocksize;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps a read-modify-write of a block apart from every other write to that block, server-wide: the
 * RMW holds its block's lock exclusively from the read to the write, while plain writes (writes,
 * zeroes and trims of whole blocks) hold the locks of all the blocks they cover shared, so they run
 * in parallel with each other but never between the read and the write of an RMW (which would undo
 * them outside the RMW's own bytes), and two RMWs of one block take turns.
 *
 * <p>Locks cover granules of 64 KiB, the largest block the filter allows, so a block never spans two,
 * whatever block size each connection uses; granules share {@value #STRIPES} stripes.
 *
 * <p><b>Threads.</b> Thread-safe. An RMW holds one lock, exclusively, and takes no other while holding
 * it; a plain write takes its shared locks in ascending stripe order. Hence no cycle of waits.
 */
final class RmwLocks {
    static final int GRANULE_SHIFT = 16;
    private static final int STRIPES = 64;

    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    RmwLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** An action under a lock, with the exception a call below may throw. */
    @FunctionalInterface
    interface Locked {
        void run() throws IOException;
    }

    /** Runs the read-modify-write of the block at {@code offset} exclusively. */
    void readModifyWrite(long offset, Locked rmw) throws IOException {
        ReentrantReadWriteLock.WriteLock lock = stripes[stripe(offset >>> GRANULE_SHIFT)].writeLock();
        lock.lock();
        try {
            rmw.run();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a write of whole blocks covering {@code [offset, offset + length)} with those blocks' locks shared. */
    void plainWrite(long offset, long length, Locked write) throws IOException {
        long first = offset >>> GRANULE_SHIFT;
        long last = (offset + length - 1) >>> GRANULE_SHIFT;
        boolean[] needed = new boolean[STRIPES];
        for (long g = first; g <= last && g < first + STRIPES; g++) {
            needed[stripe(g)] = true;
        }
        int taken = 0;
        try {
            for (; taken < STRIPES; taken++) {
                if (needed[taken]) {
                    stripes[taken].readLock().lock();
                }
            }
            write.run();
        } finally {
            for (int i = 0; i < taken; i++) {
                if (needed[i]) {
                    stripes[i].readLock().unlock();
                }
            }
        }
    }

    private static int stripe(long granule) {
        return (int) (granule % STRIPES);
    }
}
