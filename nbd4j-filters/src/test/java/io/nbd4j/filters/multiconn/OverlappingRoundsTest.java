package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Emulated flush rounds of one group overlap: each starts at once, and answers only after the rounds
 * that were still flushing when it took its marks; a failure of such a round makes it flush the
 * put-back marks itself. A round that would not wait parks nowhere, so the tests look for the flushing
 * thread parked in {@code awaitFlushed} (or ended) before they let the earlier round go on.
 */
@Timeout(60)
class OverlappingRoundsTest {
    private static final String WAIT_FOR_EARLIER_ROUNDS = "awaitFlushed";

    /** A client flush on a thread of its own, so that the test can see where it waits. */
    private static final class Flusher {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Flusher(FakeConnection c) {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    c.flush();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        /** Returns once the flush waits for earlier rounds, or has returned. */
        void awaitWaitingOrDone() throws InterruptedException {
            Fixtures.await(() -> !thread.isAlive() || Arrays.stream(thread.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals(WAIT_FOR_EARLIER_ROUNDS)));
        }

        Throwable join() throws InterruptedException {
            thread.join();
            return failure.get();
        }
    }

    @Test
    void concurrentFlushesOfDifferentConnectionsReachThePluginAtTheSameTime() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        CountDownLatch bothInside = new CountDownLatch(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        plugin.gate(c -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            bothInside.countDown();
            Fixtures.pass(bothInside);   // one round at a time would never let the second flush in: the test times out
            inside.decrementAndGet();
        });
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            a.write(1, 11);
            Future<?> first = pool.submit(() -> { a.flush(); return null; });
            Fixtures.await(() -> inside.get() == 1);
            b.write(2, 22);
            Future<?> second = pool.submit(() -> { b.flush(); return null; });
            first.get();
            second.get();

            assertThat(most.get()).isEqualTo(2);
            assertThat(plugin.stored("", 1)).isEqualTo(11);
            assertThat(plugin.stored("", 2)).isEqualTo(22);
        }
    }

    @Test
    void aFlushWhoseWriteAnEarlierRoundIsStillFlushingWaitsForThatRound() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin);
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection a = server.connect();
            FakeConnection c = server.connect();
            a.write(1, 7);
            Flusher earlier = new Flusher(a);
            gate.entered.await();

            Flusher later = new Flusher(c);   // finds a's mark taken: nothing of its own to flush
            later.awaitWaitingOrDone();

            assertThat(later.thread.isAlive()).as("answered before the write it covers was durable").isTrue();
            assertThat(plugin.stored("", 1)).isZero();
            gate.release.countDown();
            assertThat(later.join()).isNull();
            assertThat(plugin.stored("", 1)).isEqualTo(7);
            assertThat(earlier.join()).isNull();
            assertThat(c.plugin().flushes()).isZero();
        }
    }

    @Test
    void aLaterRoundThatFinishesItsOwnFlushesFirstWaitsForTheEarlierOne() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin);
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            a.write(1, 7);
            Flusher earlier = new Flusher(a);
            gate.entered.await();
            b.write(2, 8);

            Flusher later = new Flusher(b);
            later.awaitWaitingOrDone();

            assertThat(b.plugin().flushes()).as("the later round flushed its own write").isEqualTo(1);
            assertThat(later.thread.isAlive()).as("answered before the earlier round's flush returned").isTrue();
            gate.release.countDown();
            assertThat(later.join()).isNull();
            assertThat(earlier.join()).isNull();
            assertThat(plugin.stored("", 1)).isEqualTo(7);
            assertThat(plugin.stored("", 2)).isEqualTo(8);
        }
    }

    @Test
    void anEarlierRoundsFailureMakesTheLaterRoundFlushThePutBackWriteItself() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin)) {
            Outcomes o = earlierRoundFailingWhileALaterOneWaits(server, plugin, 1);

            assertThat(o.earlier()).isInstanceOf(NbdException.class);
            assertThat(((NbdException) o.earlier()).error()).isEqualTo(NbdError.ENOSPC);
            assertThat(o.later()).as("the later round's own retry succeeded").isNull();
            assertThat(plugin.flushes()).isEqualTo(1);
            assertThat(plugin.stored("", 1)).isEqualTo(7);
        }
    }

    @Test
    void whenTheLaterRoundsRetryFailsTooItsClientGetsTheError() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin)) {
            Outcomes o = earlierRoundFailingWhileALaterOneWaits(server, plugin, 2);

            assertThat(o.earlier()).isInstanceOf(NbdException.class);
            assertThat(o.later()).isInstanceOf(NbdException.class).hasMessageContaining("flush failed on 1 of 2");
            assertThat(((NbdException) o.later()).error()).isEqualTo(NbdError.ENOSPC);
            assertThat(plugin.stored("", 1)).isZero();

            server.connect().flush();
            assertThat(plugin.stored("", 1)).isEqualTo(7);
        }
    }

    private record Outcomes(Throwable earlier, Throwable later) {}

    /**
     * Connection a writes and flushes, and its flush fails {@code failures} times; the first is held
     * until a flush on connection c, which finds a's mark taken, waits for a's round.
     */
    private static Outcomes earlierRoundFailingWhileALaterOneWaits(FakeServer server, StaleCachePlugin plugin,
                                                                   int failures) throws Exception {
        try (FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection a = server.connect();
            FakeConnection c = server.connect();
            a.write(1, 7);
            a.plugin().failNextFlushes(failures);
            Flusher earlier = new Flusher(a);
            gate.entered.await();
            Flusher later = new Flusher(c);
            later.awaitWaitingOrDone();
            gate.release.countDown();
            return new Outcomes(earlier.join(), later.join());
        }
    }

    /** Where one round at a time answered them together in one more round, the overlapping ones add no flush. */
    @Test
    void flushesArrivingWhileARoundFlushesEveryWriterShareItsFlushes() throws Exception {
        int connections = 16;
        StaleCachePlugin plugin = new StaleCachePlugin();
        MultiConnFilter filter = Fixtures.filter("emulate", DirtyTracking.CONNECTION);
        try (FakeServer server = new FakeServer(filter, plugin);
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            List<FakeConnection> conns = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                FakeConnection c = server.connect();
                c.write(i, 100 + i);
                conns.add(c);
            }
            Flusher first = new Flusher(conns.getFirst());
            gate.entered.await();
            List<Flusher> later = new ArrayList<>();
            for (int i = 1; i < connections; i++) {
                later.add(new Flusher(conns.get(i)));
            }
            for (Flusher f : later) {
                f.awaitWaitingOrDone();
                assertThat(f.thread.isAlive()).isTrue();
            }
            gate.release.countDown();
            assertThat(first.join()).isNull();
            for (Flusher f : later) {
                assertThat(f.join()).isNull();
            }

            assertThat(plugin.flushes()).isEqualTo(connections);
            assertThat(filter.groups().roundsRun()).isEqualTo(1);
            for (int i = 0; i < connections; i++) {
                assertThat(plugin.stored("", i)).isEqualTo(100 + i);
            }
        }
    }

    /**
     * A reader caches the old block while a round publishes the new one; before that round looks again,
     * an overlapping round takes the reader's READ mark and its flush of the reader is held. The first
     * round must still drop the reader's cache itself before it answers, or a read sent after its reply
     * is answered from the stale cache.
     */
    @Test
    void aReadDuringARoundIsRefreshedByItEvenWhenAnOverlappingRoundTookTheReadMark() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin)) {
            FakeConnection writer = server.connect();
            FakeConnection reader = server.connect();
            FakeConnection flusher = server.connect();
            FakeConnection other = server.connect();
            CountDownLatch writerFlushEntered = new CountDownLatch(1);
            CountDownLatch writerMayFlush = new CountDownLatch(1);
            CountDownLatch readerFlushEntered = new CountDownLatch(1);
            CountDownLatch readerMayFlush = new CountDownLatch(1);
            AtomicBoolean firstOfWriter = new AtomicBoolean(true);
            AtomicBoolean firstOfReader = new AtomicBoolean(true);
            plugin.gate(c -> {
                if (c == writer.plugin() && firstOfWriter.compareAndSet(true, false)) {
                    writerFlushEntered.countDown();
                    Fixtures.pass(writerMayFlush);
                } else if (c == reader.plugin() && firstOfReader.compareAndSet(true, false)) {
                    readerFlushEntered.countDown();
                    Fixtures.pass(readerMayFlush);
                }
            });
            try {
                writer.write(1, 7);
                Flusher publishing = new Flusher(flusher);
                writerFlushEntered.await();
                assertThat(reader.read(1)).isZero();   // cached while the new block is being published
                other.write(5, 1);
                Flusher overlapping = new Flusher(other);   // takes the reader's READ mark; its flush is held
                readerFlushEntered.await();
                writerMayFlush.countDown();

                assertThat(publishing.join()).isNull();
                assertThat(reader.read(1)).isEqualTo(7);
                readerMayFlush.countDown();
                assertThat(overlapping.join()).isNull();
            } finally {
                writerMayFlush.countDown();
                readerMayFlush.countDown();
            }
        }
    }

    /** With multi-conn-flush-on-close, the flush of a connection that ends counts as a round still flushing. */
    @Test
    void aFlushWhoseWriteALeavingConnectionIsStillFlushingWaitsForThatFlush() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(
                Fixtures.filter("emulate", DirtyTracking.CONNECTION, "multi-conn-flush-on-close=true"), plugin);
             FirstFlushGate gate = new FirstFlushGate(plugin)) {
            FakeConnection leaving = server.connect();
            FakeConnection c = server.connect();
            leaving.write(1, 7);
            Thread disconnect = Thread.ofPlatform().start(() -> {
                try {
                    leaving.disconnect();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            gate.entered.await();

            Flusher later = new Flusher(c);
            later.awaitWaitingOrDone();

            assertThat(later.thread.isAlive()).as("answered before the leaving connection's write was stored").isTrue();
            gate.release.countDown();
            assertThat(later.join()).isNull();
            assertThat(plugin.stored("", 1)).isEqualTo(7);
            disconnect.join();
            assertThat(plugin.flushes()).isEqualTo(1);
        }
    }

    @Test
    void aMemberFlushErrorReachesTheFlushingClientAndTheOtherMembersAreStillFlushed() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", DirtyTracking.CONNECTION), plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            FakeConnection c = server.connect();
            b.write(1, 2);
            c.write(2, 3);
            b.plugin().failNextFlushes(1);

            Throwable t = catchThrowable(a::flush);

            assertThat(t).isInstanceOf(NbdException.class).hasMessageContaining("flush failed on 1 of 3");
            assertThat(((NbdException) t).error()).isEqualTo(NbdError.ENOSPC);
            assertThat(plugin.stored("", 2)).isEqualTo(3);
            assertThat(plugin.stored("", 1)).isZero();
            a.flush();
            assertThat(plugin.stored("", 1)).isEqualTo(2);
            assertThat(a.read(1)).isEqualTo(2);
        }
    }


}
