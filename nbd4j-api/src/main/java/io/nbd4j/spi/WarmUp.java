package io.nbd4j.spi;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Preparation that a start will need later but should not wait for: binding native calls, initialising
 * JDK classes a first request will use. A layer submits it from {@link Layer#afterStart} (or earlier);
 * it runs on one background thread, one task after another in the order submitted.
 *
 * <p>Why one thread rather than one per task: such tasks mostly share first-use costs. The first native
 * binding in a JVM spins the FFM linker's method-handle classes (about 15 ms of CPU), the next one
 * reuses most of them; two threads binding at the same moment both pay it, on a two-core machine at the
 * expense of the start itself (measured on a captive {@code nbd4j ... memory --run}: the memory
 * plugin's and the exit call's bindings, run together, cost 9 ms more CPU than run one after the other).
 *
 * <p>A task that fails (a runtime exception, or a {@link LinkageError} where a native call is missing)
 * is dropped and the next one runs: the work is only an early start, so its first real use meets the
 * same problem again and reports it where it matters.
 *
 * <p><b>Threads.</b> Thread-safe. The worker is a daemon platform thread started with the first task
 * and ending when the queue is empty, so nothing lingers once the start-up work is done.
 */
public final class WarmUp {
    private static final Queue<Runnable> TASKS = new ArrayDeque<>();
    private static boolean workerRunning;

    private WarmUp() {}

    /** Queues {@code task} to run after every task submitted before it. */
    public static void inBackground(Runnable task) {
        synchronized (TASKS) {
            TASKS.add(task);
            if (workerRunning) {
                return;
            }
            workerRunning = true;
        }
        Thread.ofPlatform().daemon().name("nbd4j-warm-up").start(WarmUp::drain);
    }

    private static void drain() {
        while (true) {
            Runnable task;
            synchronized (TASKS) {
                task = TASKS.poll();
                if (task == null) {
                    workerRunning = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                // Reported by the first real use (see the class comment).
            }
        }
    }
}
