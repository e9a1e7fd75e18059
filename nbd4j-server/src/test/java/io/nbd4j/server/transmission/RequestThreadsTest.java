package io.nbd4j.server.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class RequestThreadsTest {
    @Test
    void aPlatformReaderHandsItsRequestsToPlatformThreads() throws Exception {
        Thread runner = runOn(Thread.ofPlatform());
        assertThat(runner.isVirtual()).isFalse();
        assertThat(runner.getName()).isEqualTo("nbd4j-request");
        assertThat(runner.isDaemon()).isTrue();
    }

    @Test
    void aVirtualReaderHandsItsRequestsToVirtualThreads() throws Exception {
        assertThat(runOn(Thread.ofVirtual()).isVirtual()).isTrue();
    }

    @Test
    void aRequestFindingEveryPlatformThreadBusyRunsOnAVirtualThread() throws Exception {
        Executor pool = new RequestThreads.PlatformPool(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Thread> first = new CompletableFuture<>();
        CompletableFuture<Thread> second = new CompletableFuture<>();
        pool.execute(() -> {
            first.complete(Thread.currentThread());
            awaitQuietly(release);
        });
        first.get();
        pool.execute(() -> second.complete(Thread.currentThread()));
        assertThat(second.get().isVirtual()).isTrue();
        release.countDown();
    }

    /** The thread that runs a request handed off by a reader made by {@code readers}. */
    private static Thread runOn(Thread.Builder readers) throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        readers.start(() -> RequestThreads.forCurrentReader().execute(() -> ranOn.complete(Thread.currentThread())))
                .join();
        return ranOn.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
