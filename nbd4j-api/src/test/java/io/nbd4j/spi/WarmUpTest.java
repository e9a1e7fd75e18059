package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {
    @Test
    void tasksRunOneAfterAnotherInTheOrderSubmittedOnOneBackgroundThread() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(3);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            WarmUp.inBackground(() -> {
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
        WarmUp.inBackground(() -> {
            throw new IllegalStateException("no native access");
        });
        WarmUp.inBackground(() -> {
            throw new UnsatisfiedLinkError("no such symbol");
        });
        WarmUp.inBackground(ran::countDown);
        WarmUp.inBackground(ran::countDown);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskSubmittedAfterTheQueueEmptiedStillRuns() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        WarmUp.inBackground(first::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);  // lets the worker find the queue empty and end

        CountDownLatch second = new CountDownLatch(1);
        WarmUp.inBackground(second::countDown);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        Uninterruptibly.await(latch::await);
    }
}
