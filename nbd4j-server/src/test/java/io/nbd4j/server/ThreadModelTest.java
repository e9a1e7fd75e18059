package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server runs a layer's calls with no more concurrency than the layer declared. The probe plugin
 * holds each read open until a second read joins it (or a bound passes), so any concurrency the
 * server allows is observed, and a serialized run simply never sees two at once.
 */
class ThreadModelTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    static final class ConcurrencyProbe extends RamDisk {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
        volatile CountDownLatch overlap = new CountDownLatch(1);

        ConcurrencyProbe(ThreadModel model) {
            super(1 << 20);
            threadModel = model;
        }

        @Override
        void enter(String call) {
            int now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            if (now > 1) {
                overlap.countDown();
            } else {
                try {
                    overlap.await(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        void leave(String call) {
            active.decrementAndGet();
        }
    }

    /** Sends {@code count} reads on each client without waiting, then reads every reply. */
    static void pipelinedReads(int count, TestClient... clients) throws Exception {
        for (TestClient c : clients) {
            for (int i = 0; i < count; i++) {
                c.request(0, Command.READ, i, i * 4096L, 4096, null);
            }
        }
        for (TestClient c : clients) {
            for (int i = 0; i < count; i++) {
                ByteBuffer header = c.read(16);
                assertThat(header.getInt(4)).isZero();
                c.read(4096);
            }
        }
    }

    int maxConcurrency(ThreadModel model, int connections, int readsEach) throws Exception {
        ConcurrencyProbe probe = new ConcurrencyProbe(model);
        fixture.start(ServerFixture.builder(probe));
        TestClient[] clients = new TestClient[connections];
        for (int i = 0; i < connections; i++) {
            clients[i] = fixture.client();
            clients[i].negotiateSimple();
        }
        pipelinedReads(readsEach, clients);
        for (TestClient c : clients) {
            c.close();
        }
        return probe.maxActive.get();
    }

    @Test
    void parallelPluginReallyRunsRequestsOfOneConnectionConcurrently() throws Exception {
        assertThat(maxConcurrency(ThreadModel.PARALLEL, 1, 4)).isGreaterThan(1);
    }

    @Test
    void serializeRequestsRunsOneRequestPerConnectionAtATime() throws Exception {
        assertThat(maxConcurrency(ThreadModel.SERIALIZE_REQUESTS, 1, 4)).isEqualTo(1);
    }

    @Test
    void serializeRequestsStillRunsDifferentConnectionsConcurrently() throws Exception {
        assertThat(maxConcurrency(ThreadModel.SERIALIZE_REQUESTS, 2, 3)).isEqualTo(2);
    }

    @Test
    void serializeAllRequestsRunsOneRequestAcrossAllConnections() throws Exception {
        assertThat(maxConcurrency(ThreadModel.SERIALIZE_ALL_REQUESTS, 2, 3)).isEqualTo(1);
    }

    @Test
    void oneThreadPerConnectionRunsRequestsInOrder() throws Exception {
        ConcurrencyProbe probe = new ConcurrencyProbe(ThreadModel.PARALLEL);
        fixture.start(ServerFixture.builder(probe).threads(1));
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            for (int i = 0; i < 4; i++) {
                c.request(0, Command.READ, i, 0, 512, null);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(c.simpleReply(i)).isZero();
                c.read(512);
            }
        }
        assertThat(probe.maxActive.get()).isEqualTo(1);
    }

    @Test
    void serializeConnectionsAdmitsOneClientAtATime() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        disk.threadModel = ThreadModel.SERIALIZE_CONNECTIONS;
        fixture.start(ServerFixture.builder(disk));
        try (TestClient first = fixture.client()) {
            first.negotiateSimple();
            TestClient second = fixture.client();
            awaitParked(second);
            assertThat(second.available()).isZero();
            assertThat(disk.calls("open")).isEqualTo(1);
            first.disconnect();
            assertThat(first.serverClosed()).isTrue();
            second.negotiateSimple();
            assertThat(disk.calls("open")).isEqualTo(2);
            second.close();
        }
    }

    private static void awaitParked(TestClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.serverThreadState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("server side parked").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
