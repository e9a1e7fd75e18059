package io.nbd4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ConnectionThreadsTest {
    @Test
    void connectionsPastThePlatformLimitGetVirtualReadersAndAFreedSlotIsReused() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocked = () -> awaitQuietly(release);
        List<Thread> started = new ArrayList<>();
        try {
            started.add(threads.start(blocked));
            started.add(threads.start(blocked));
            started.add(threads.start(blocked));
            assertThat(started).extracting(Thread::isVirtual).containsExactly(false, false, true);
            assertThat(started).allMatch(Thread::isDaemon);

            Thread quick = threads.start(() -> { });
            assertThat(quick.isVirtual()).isTrue();
        } finally {
            release.countDown();
        }
        for (Thread t : started) {
            t.join();
        }
        Thread afterRelease = threads.start(() -> { });
        afterRelease.join();
        assertThat(afterRelease.isVirtual()).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
