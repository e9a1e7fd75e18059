package io.nbd4j.spi;

/**
 * Waits that must not be cut short: joining threads that still use something about to be released,
 * or waiting for a shutdown to complete. An interrupt during the wait is remembered, the wait goes on,
 * and the thread's interrupt status is set again when it ends, so the caller's caller still sees it.
 *
 * <p>Stateless; any thread may call it.
 */
public final class Uninterruptibly {
    /** A blocking wait that throws {@link InterruptedException} when interrupted, e.g. {@code latch::await}. */
    @FunctionalInterface
    public interface Wait {
        void await() throws InterruptedException;
    }

    private Uninterruptibly() {}

    /** Runs {@code wait} until it returns normally, then restores the interrupt status if it was interrupted. */
    public static void await(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins every thread in turn, through interrupts. */
    public static void join(Thread... threads) {
        for (Thread t : threads) {
            await(t::join);
        }
    }
}
