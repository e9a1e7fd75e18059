package io.nbd4j.spi;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The queue behind {@link WarmUp}: tasks run one after another on one daemon thread, started with the
 * first task and ending when the queue is empty; a failing task is dropped and the next one runs.
 *
 * <p><b>Threads.</b> Thread-safe; the state is guarded by the task queue's monitor.
 */
final class BackgroundQueue {
    private final String threadName;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean workerRunning;
    private boolean closed;

    BackgroundQueue(String threadName) {
        this.threadName = threadName;
    }

    void submit(Runnable task) {
        synchronized (tasks) {
            if (closed) {
                return;
            }
            tasks.add(task);
            if (workerRunning) {
                return;
            }
            workerRunning = true;
        }
        Thread.ofPlatform().daemon().name(threadName).start(this::drain);
    }

    void closeForNewTasks() {
        synchronized (tasks) {
            closed = true;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    workerRunning = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                // Reported by the first real use (see WarmUp).
            }
        }
    }
}
