package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/** Flushes under concurrency: safety, serialization, departures (overlapping rounds: {@link OverlappingRoundsTest}). */
@Timeout(60)
class ConcurrentFlushTest {
    private static final int CONNECTIONS = 16;


    /**
     * Over a multi-conn consistent plugin a flush is skipped only when a finished flush covers its writes:
     * a flush arriving while another connection's flush of the same write is held in the plugin must not
     * return before a flush that covers the write has returned (nbdkit's dirty bit, taken by the held
     * flush, would let it return at once). Its own flush goes down beside the held one.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"plugin,CONNECTION", "plugin,FAST", "unsafe,CONNECTION", "disable,FAST"})
    void overAConsistentPluginAFlushIsNotSkippedWhileTheFlushCoveringItStillRuns(String mode,
                                                                             DirtyTracking tracking)
            throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        try (FakeServer server = new FakeServer(Fixtures.filter(mode, tracking), plugin);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            a.write(1, 1);
            Future<?> held = pool.submit(() -> { a.flush(); return null; });
            gate.entered.await();

            b.flush();

            assertThat(held).isNotDone();
            assertThat(b.plugin().flushes()).isEqualTo(1);
            gate.release.countDown();
            held.get();
            b.flush();
            assertThat(plugin.flushes()).isEqualTo(2);
        }
    }

    /**
     * A read that starts before a round, caches the old block while the round publishes it, and returns
     * only after the round's refresh phase would have looked at its mark: the round must wait for it and
     * drop what it cached, or a read sent after the flush reply is answered from the stale cache. The
     * read is held until the leading flush has either returned (the fault) or is waiting for the read.
     */
    @Test
    void aReadThatCachesOldDataDuringARoundIsDroppedBeforeTheFlushReturns() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            FakeConnection writer = server.connect();
            FakeConnection reader = server.connect();
            FakeConnection flusher = server.connect();
            writer.write(1, 7);

            CountDownLatch readStarted = new CountDownLatch(1);
            CountDownLatch mayRead = new CountDownLatch(1);
            CountDownLatch cached = new CountDownLatch(1);
            CountDownLatch mayReturn = new CountDownLatch(1);
            CountDownLatch writerFlushEntered = new CountDownLatch(1);
            CountDownLatch writerMayFlush = new CountDownLatch(1);
            plugin.readGate((c, afterCaching) -> {
                if (c == reader.plugin()) {
                    (afterCaching ? cached : readStarted).countDown();
                    Fixtures.pass(afterCaching ? mayReturn : mayRead);
                }
            });
            plugin.gate(c -> {
                if (c == writer.plugin()) {
                    writerFlushEntered.countDown();
                    Fixtures.pass(writerMayFlush);
                }
            });
            try {
                Future<Long> concurrentRead = pool.submit(() -> reader.read(1));
                readStarted.await();
                Thread leader = Thread.ofPlatform().start(() -> {
                    try {
                        flusher.flush();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                writerFlushEntered.await();
                Fixtures.await(() -> reader.plugin().flushes() == 1);
                mayRead.countDown();
                cached.await();
                writerMayFlush.countDown();
                // The fixed round parks in Member.awaitReadsInFlight; the faulty one returns without waiting.
                Fixtures.await(() -> !leader.isAlive() || Arrays.stream(leader.getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("awaitReadsInFlight")));
                mayReturn.countDown();
                leader.join();
                concurrentRead.get();
            } finally {
                mayRead.countDown();
                mayReturn.countDown();
                writerMayFlush.countDown();
            }

            assertThat(reader.read(1)).isEqualTo(7);
        }
    }


    @Test
    void aConnectionLeavingDuringARoundIsClosedOnlyAfterItsReplayedFlushReturns() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        MultiConnFilter filter = Fixtures.filter("emulate", DirtyTracking.CONNECTION);
        try (FakeServer server = new FakeServer(filter, plugin);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection flusher = server.connect();
            FakeConnection leaving = server.connect();
            leaving.write(1, 5);
            Future<?> round = pool.submit(() -> { flusher.flush(); return null; });
            gate.entered.await();
            Thread disconnect = Thread.ofPlatform().start(() -> {
                try {
                    leaving.disconnect();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Fixtures.await(() -> disconnect.getState() == Thread.State.WAITING);
            gate.release.countDown();
            round.get();
            disconnect.join();

            assertThat(leaving.plugin().flushes()).isEqualTo(1);
            assertThat(leaving.plugin().calledAfterClose()).isFalse();
            assertThat(plugin.stored("", 1)).isEqualTo(5);
            flusher.write(2, 6);
            flusher.flush();
            assertThat(leaving.plugin().flushes()).isEqualTo(1);
            assertThat(filter.groups().count()).isEqualTo(1);
        }
    }

    @Test
    void hammeringFlushFromSixteenConnectionsStaysSafeAndSerialized() throws Exception {
        int iterations = 40;
        StaleCachePlugin plugin = new StaleCachePlugin().threadModel(ThreadModel.SERIALIZE_REQUESTS);
        plugin.gate(c -> Thread.yield());
        MultiConnFilter filter = Fixtures.filter("emulate", DirtyTracking.CONNECTION);
        AtomicLongArray acknowledged = new AtomicLongArray(CONNECTIONS);
        CyclicBarrier start = new CyclicBarrier(CONNECTIONS);
        try (FakeServer server = new FakeServer(filter, plugin);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<FakeConnection> conns = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                conns.add(server.connect());
            }
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int me = i;
                FakeConnection c = conns.get(i);
                clients.add(pool.submit(() -> {
                    try {
                        hammer(me, c, iterations, start, acknowledged);
                    } catch (Throwable t) {
                        start.reset(); // releases the others: a failure must end the test, not hang it
                        throw t;
                    }
                    return null;
                }));
            }
            awaitAllReportingTheRootFailure(clients);
        }
        assertThat(plugin.threadModelViolations()).isZero();
    }

    private static void awaitAllReportingTheRootFailure(List<Future<?>> clients) throws Exception {
        ExecutionException broken = null;
        for (Future<?> f : clients) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof BrokenBarrierException)) {
                    throw e;
                }
                broken = e;
            }
        }
        if (broken != null) {
            throw broken;
        }
    }

    /** One client: write its block, flush, then check it reads what every client had acknowledged. */
    private static void hammer(int me, FakeConnection c, int iterations, CyclicBarrier start,
                               AtomicLongArray acknowledged) throws Exception {
        for (int round = 1; round <= iterations; round++) {
            start.await();
            c.write(me, round);
            acknowledged.set(me, round);
            long[] before = new long[CONNECTIONS];
            for (int j = 0; j < CONNECTIONS; j++) {
                before[j] = acknowledged.get(j);
            }
            c.flush();
            for (int j = 0; j < CONNECTIONS; j++) {
                assertThat(c.read(j)).as("connection %d reads block %d", me, j)
                        .isGreaterThanOrEqualTo(before[j]);
            }
        }
    }
}
