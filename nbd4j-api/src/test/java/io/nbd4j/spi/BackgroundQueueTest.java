package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundQueueTest {
    private final BackgroundQueue queue = new BackgroundQueue("test-warm-up");

    @Test
    void tasksRunOneAfterAnotherInTheOrderSubmittedOnOneBackgroundThread() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(3);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            queue.submit(() -> {
                threads.add(Thread.currentThread());
                if (name.equals("first")) {
                    awaitQuietly(firstMayEnd);
                }
                order.add(name);
                allDone.countDown();
            });
        }
        firstMayEnd.countDown();

        assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("first", "second", "third");
        assertThat(threads).extracting(Thread::threadId).containsOnly(threads.getFirst().threadId());
        assertThat(threads.getFirst()).isNotSameAs(Thread.currentThread());
        assertThat(threads.getFirst().isDaemon()).isTrue();
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        queue.submit(() -> {
            throw new IllegalStateException("no native access");
        });
        queue.submit(() -> {
            throw new UnsatisfiedLinkError("no such symbol");
        });
        queue.submit(ran::countDown);
        queue.submit(ran::countDown);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskSubmittedAfterTheQueueEmptiedStillRuns() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        queue.submit(first::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);  // lets the worker find the queue empty and end

        CountDownLatch second = new CountDownLatch(1);
        queue.submit(second::countDown);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskSubmittedAfterTheQueueClosedIsDroppedWhileEarlierOnesStillRun() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        List<Thread> worker = new CopyOnWriteArrayList<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        queue.submit(() -> {
            worker.add(Thread.currentThread());
            awaitQuietly(firstMayEnd);
            ran.add("first");
        });
        queue.submit(() -> ran.add("second"));

        queue.closeForNewTasks();
        queue.submit(() -> ran.add("after closing"));
        firstMayEnd.countDown();

        // The worker ends once the queue is empty, so every task it accepted has run when it has ended.
        while (worker.isEmpty()) {
            Thread.onSpinWait();
        }
        assertThat(worker.getFirst().join(Duration.ofSeconds(10))).isTrue();
        assertThat(ran).containsExactly("first", "second");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        Uninterruptibly.await(latch::await);
    }
}
