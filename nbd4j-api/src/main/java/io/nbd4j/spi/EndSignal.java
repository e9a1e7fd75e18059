package io.nbd4j.spi;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-way signal that something (a connection, a server) has begun to end, which sleeping threads
 * wake up for: the part of {@link ClientConnection} that servers and test doubles share.
 *
 * <p><b>Threads.</b> Thread-safe; {@link #end} may be called from any thread, any number of times.
 */
public final class EndSignal {
    private final CountDownLatch ended = new CountDownLatch(1);

    /** Raises the signal and wakes every sleeper. */
    public void end() {
        ended.countDown();
    }

    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /**
     * Sleeps for {@code duration} unless the signal is raised first.
     *
     * @param what names what is ending, for the exception's message (e.g. {@code "connection 3"})
     * @throws NbdException with {@link NbdError#ESHUTDOWN} if the signal was raised before the time
     *                      was up, or the thread was interrupted (its interrupt status is kept)
     */
    public void sleep(Duration duration, String what) throws NbdException {
        try {
            if (ended.await(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS)) {
                throw new NbdException(NbdError.ESHUTDOWN, what + " is ending");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.ESHUTDOWN, "interrupted while sleeping", e);
        }
    }
}
