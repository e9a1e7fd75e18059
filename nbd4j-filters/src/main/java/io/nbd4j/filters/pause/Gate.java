package io.nbd4j.filters.pause;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets requests through, or holds them while paused, and counts those inside so that a pause is
 * acknowledged only once the last request that got in before it has finished.
 *
 * <p><b>Threads.</b> Request threads call {@link #enter} and {@link #leave}; the control socket's
 * thread calls {@link #pause} and {@link #resume}. One lock guards the flag and the count, held only
 * to read and change them, never while a request runs below, so requests stay parallel. A request
 * held at the gate looks every {@link #RECHECK_MILLIS} ms whether its connection is ending, so a held
 * request never holds up a disconnect or a shutdown.
 */
final class Gate {
    static final long RECHECK_MILLIS = 100;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private final Condition drained = lock.newCondition();
    private boolean paused;
    private int inside;

    /** Waits while paused, then counts the request in; fails with ESHUTDOWN if the connection ends meanwhile. */
    void enter(ClientConnection connection) throws NbdException {
        lock.lock();
        try {
            while (paused) {
                if (connection.isEnding()) {
                    throw new NbdException(NbdError.ESHUTDOWN, "pause: the connection ended while requests were paused");
                }
                resumed.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
            inside++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.ESHUTDOWN, "pause: interrupted while requests were paused", e);
        } finally {
            lock.unlock();
        }
    }

    void leave() {
        lock.lock();
        try {
            if (--inside == 0) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Holds new requests and returns once none is inside. */
    void pause() throws InterruptedException {
        lock.lock();
        try {
            paused = true;
            while (inside > 0) {
                drained.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets held and new requests through. */
    void resume() {
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
