package io.nbd4j.plugins.s3;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes the writes of one object among all connections of the server: a partial write reads the
 * object, changes part of it and puts it back, and two such cycles on the same object at once would lose
 * one of them. Objects share a fixed set of locks by number, so two objects may wait for each other now
 * and then, but a caller holds one lock at a time and never waits for another while holding it, so no
 * two callers can deadlock.
 *
 * <p>Threads: any number of request threads; the array is final and the locks are thread-safe.
 */
final class ObjectLocks {
    private static final int STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    ObjectLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(long objectIndex) {
        return locks[(int) Math.floorMod(objectIndex, (long) STRIPES)];
    }
}
