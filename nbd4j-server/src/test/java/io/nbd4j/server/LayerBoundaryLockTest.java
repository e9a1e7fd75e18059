package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thread-model locks sit at each layer's boundary, not around whole requests: a filter that flushes
 * every connection from one thread (as multi-conn does) goes through each target connection's own
 * serialization, and does not deadlock with that connection's requests.
 */
class LayerBoundaryLockTest {

    /** Flushes the layer below on every open connection whenever any connection flushes. */
    static final class FlushEverywhere implements Filter {
        final List<Next> belows = new CopyOnWriteArrayList<>();

        @Override public String name() { return "flush-everywhere"; }
        @Override public String description() { return "replays each flush on all connections"; }

        @Override
        public Handle open(OpenRequest request, NextOpener below) throws IOException {
            Next next = below.open(request);
            belows.add(next);
            return new FilterHandle(next) {
                @Override
                public void flush(int flags) throws IOException {
                    next.flush(flags);
                    for (Next n : belows) {
                        if (n != next) {
                            n.flush(flags);
                        }
                    }
                }

                @Override
                public void close() {
                    belows.remove(next);
                }
            };
        }
    }

    /** One handle per connection; a read on the first connection blocks until released; counts overlap per handle. */
    static final class SerializedPlugin implements Plugin {
        final CountDownLatch readEntered = new CountDownLatch(1);
        final CountDownLatch releaseRead = new CountDownLatch(1);
        final Map<Long, AtomicInteger> flushes = new ConcurrentHashMap<>();
        final AtomicInteger maxPerHandle = new AtomicInteger();

        @Override public String name() { return "serialized"; }
        @Override public String description() { return "one request per connection"; }
        @Override public ThreadModel threadModel() { return ThreadModel.SERIALIZE_REQUESTS; }

        @Override
        public Handle open(OpenRequest request) {
            long id = request.connectionId();
            flushes.put(id, new AtomicInteger());
            AtomicInteger active = new AtomicInteger();
            return new Handle() {
                @Override public long size() { return 1 << 20; }
                @Override public boolean canWrite() { return true; }
                @Override public boolean canFlush() { return true; }

                @Override
                public void pread(ByteBuffer buffer, long offset, int flags) {
                    maxPerHandle.accumulateAndGet(active.incrementAndGet(), Math::max);
                    try {
                        readEntered.countDown();
                        releaseRead.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        active.decrementAndGet();
                    }
                    buffer.position(buffer.limit());
                }

                @Override
                public void flush(int flags) {
                    maxPerHandle.accumulateAndGet(active.incrementAndGet(), Math::max);
                    flushes.get(id).incrementAndGet();
                    active.decrementAndGet();
                }
            };
        }
    }

    @Test
    void flushReplayedOntoABusyConnectionWaitsForItsRequestAndThenCompletes() throws Exception {
        SerializedPlugin plugin = new SerializedPlugin();
        try (NbdServer server = ServerFixture.builder(plugin, new FlushEverywhere()).start();
             TestClient busy = TestClient.connect(server)) {
            busy.negotiateSimple();
            try (TestClient flusher = TestClient.connect(server)) {
                flusher.negotiateSimple();
                long busyId = 1;
                long flusherId = 2;
                busy.request(0, Command.READ, 1, 0, 512, null);
                plugin.readEntered.await();
                flusher.request(0, Command.FLUSH, 2, 0, 0, null);
                // the flush reaches its own connection at once, then must wait for the busy connection's read:
                // give a broken server a bounded chance to run the replayed flush alongside that read
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (plugin.flushes.get(flusherId).get() == 0) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.onSpinWait();
                }
                long grace = System.nanoTime() + 200_000_000L;
                while (System.nanoTime() < grace && plugin.flushes.get(busyId).get() == 0) {
                    Thread.onSpinWait();
                }
                assertThat(plugin.flushes.get(busyId).get()).isZero();
                plugin.releaseRead.countDown();
                assertThat(busy.simpleReply(1)).isZero();
                busy.read(512);
                assertThat(flusher.simpleReply(2)).isZero();
                assertThat(plugin.flushes.get(busyId).get()).isEqualTo(1);
                assertThat(plugin.maxPerHandle.get()).isEqualTo(1);
            }
        }
    }
}
