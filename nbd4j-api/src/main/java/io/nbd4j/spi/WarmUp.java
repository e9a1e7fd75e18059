package io.nbd4j.spi;

/**
 * Preparation that a start will need later but should not wait for: binding native calls, initialising
 * JDK classes a first request will use. A layer submits it from {@link Layer#afterStart} (or earlier);
 * it runs on one background thread, one task after another in the order submitted.
 *
 * <p>Why one thread rather than one per task: such tasks mostly share first-use costs. The first native
 * binding in a JVM spins the FFM linker's method-handle classes (about 15 ms of CPU), the next one
 * reuses most of them; two threads binding at the same moment both pay it, on a two-core machine at the
 * expense of the start itself.
 *
 * <p>A task that fails (a runtime exception, or a {@link LinkageError} where a native call is missing)
 * is dropped and the next one runs: the work is only an early start, so its first real use meets the
 * same problem again and reports it where it matters.
 *
 * <p>A process that may not live long enough to profit (a captive {@code --run}, whose command can end
 * within milliseconds of the listen) calls {@link #skipFurtherTasks}: tasks submitted afterwards are
 * dropped and their work is done by its first real use, if any. Measured on a captive
 * {@code nbdinfo --size}: the memory plugin's early {@code mmap} binding cost 28–32 ms of CPU and 12–15 ms
 * of wall time for a call the run never made.
 *
 * <p><b>Threads.</b> Thread-safe. The worker is a daemon platform thread started with the first task
 * and ending when the queue is empty, so nothing lingers once the start-up work is done.
 */
public final class WarmUp {
    private static final BackgroundQueue QUEUE = new BackgroundQueue("nbd4j-warm-up");

    private WarmUp() {}

    /** Queues {@code task} to run after every task submitted before it, unless further tasks are skipped. */
    public static void inBackground(Runnable task) {
        QUEUE.submit(task);
    }

    /** Drops every task submitted from now on; those already submitted still run. */
    public static void skipFurtherTasks() {
        QUEUE.closeForNewTasks();
    }
}
