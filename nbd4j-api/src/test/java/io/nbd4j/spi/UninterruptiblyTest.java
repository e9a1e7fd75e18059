package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class UninterruptiblyTest {
    @Test
    void anInterruptDoesNotEndTheWaitButIsRestoredAfterIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean releasedBeforeReturn = new AtomicBoolean();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            started.countDown();
            Uninterruptibly.await(release::await);
            releasedBeforeReturn.set(release.getCount() == 0);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        waiter.interrupt();
        waiter.interrupt();
        release.countDown();
        waiter.join();

        assertThat(releasedBeforeReturn).isTrue();
        assertThat(interruptedAfter).isTrue();
    }

    @Test
    void joinWaitsForEveryThread() {
        AtomicBoolean firstDone = new AtomicBoolean();
        AtomicBoolean secondDone = new AtomicBoolean();
        Thread first = Thread.ofVirtual().start(() -> firstDone.set(true));
        Thread second = Thread.ofVirtual().start(() -> secondDone.set(true));

        Uninterruptibly.join(first, second);

        assertThat(firstDone).isTrue();
        assertThat(secondDone).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
