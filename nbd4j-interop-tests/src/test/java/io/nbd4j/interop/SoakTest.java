package io.nbd4j.interop;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.error.ErrorFilter;
import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 client connections, at most 40 at once, against an embedded server on the memory and the file
 * plugins, and on the memory plugin under {@code --filter=error error-rate=10%}: each does random
 * pipelined writes (some FUA), reads, flushes, and then disconnects politely or vanishes mid-request.
 * Afterwards a fresh client finds every acknowledged write, and the server's threads and heap are
 * back to where they started. With errors injected, a failed call is simply not counted: it must
 * have changed nothing.
 */
class SoakTest {
    /** What the connections are served from. */
    enum Stack {
        MEMORY("memory", false), FILE("file", false), MEMORY_WITH_ERRORS("memory", true);

        final String plugin;
        final boolean errorsInjected;

        Stack(String plugin, boolean errorsInjected) {
            this.plugin = plugin;
            this.errorsInjected = errorsInjected;
        }
    }

    static final int CONNECTIONS = 200;
    static final int AT_ONCE = 40;
    static final int BLOCKS_PER_CONNECTION = 64;
    static final long DISK = (long) CONNECTIONS * BLOCKS_PER_CONNECTION * WriteLedger.BLOCK;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Stack.class)
    void everyAcknowledgedWriteSurvivesTwoHundredConnectionsAndResourcesReturnToBaseline(Stack served) throws Exception {
        LayerStack stack = stack(served);
        Path socket = dir.resolve("sock");
        String uri = "nbd+unix:///?socket=" + socket;
        int baselineThreads = platformThreads();
        long baselineHeap = heapAfterGc();
        List<WriteLedger> ledgers = new ArrayList<>();
        AtomicLong vanished = new AtomicLong();
        try (NbdServer server = NbdServer.builder().layers(stack).unixSocket(socket).start()) {
            // The server's own platform threads (an acceptor per listener, the watchdog's scanner) stay
            // while it runs; its start-up threads end on their own.
            awaitStartThreadsEnded();
            int serverThreads = platformThreads();
            Semaphore open = new Semaphore(AT_ONCE);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    WriteLedger ledger = new WriteLedger(i, (long) i * BLOCKS_PER_CONNECTION, BLOCKS_PER_CONNECTION);
                    ledgers.add(ledger);
                    long seed = 0x5eed_0000L + i;
                    done.add(clients.submit(() -> {
                        open.acquire();
                        try {
                            if (session(uri, ledger, new SplittableRandom(seed), socket, served.errorsInjected)) {
                                vanished.incrementAndGet();
                            }
                        } finally {
                            open.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }

            long checked = 0;
            long acknowledged = 0;
            try (NbdClient reader = NbdClient.connect(uri)) {
                for (WriteLedger ledger : ledgers) {
                    acknowledged += ledger.acknowledgedWrites();
                    for (int b = 0; b < ledger.blocks(); b++) {
                        byte[] data = readPersistently(reader, ledger.offsetOf(b));
                        assertThat(ledger.check(b, data, false)).isNull();
                        checked++;
                    }
                }
            }
            assertThat(acknowledged).as("writes acknowledged").isGreaterThan(CONNECTIONS * 10L);
            assertThat(vanished.get()).as("connections that vanished mid-request").isPositive();
            System.out.printf("SoakTest[%s]: %d connections (%d vanished), %d acknowledged writes, %d blocks checked, 0 lost%n",
                    served, CONNECTIONS, vanished.get(), acknowledged, checked);

            assertThat(platformThreadsSettled(serverThreads)).as("platform threads with the server idle").isLessThanOrEqualTo(serverThreads);
            // the memory plugin's data lives off the heap; the heap holds only per-connection state, which must be gone
            assertThat(heapAfterGc()).as("heap with the server idle").isLessThan(baselineHeap + (64L << 20));
        } finally {
            stack.unload();
        }
        assertThat(platformThreadsSettled(baselineThreads)).as("platform threads after close").isLessThanOrEqualTo(baselineThreads);
    }

    /**
     * One connection's life. Returns true when it ended by vanishing: closing its socket with a write
     * half-sent instead of disconnecting.
     */
    private static boolean session(String uri, WriteLedger ledger, SplittableRandom random, Path socket,
                                   boolean errorsInjected) throws Exception {
        boolean vanish = random.nextInt(8) == 0;
        try (NbdClient client = NbdClient.connect(uri)) {
            int operations = 20 + random.nextInt(40);
            for (int op = 0; op < operations; op++) {
                int kind = random.nextInt(10);
                try {
                    if (kind < 6) {
                        ledger.writeBatch(client, random, 1 + random.nextInt(8), 4, errorsInjected);
                    } else if (kind < 8) {
                        int block = random.nextInt(ledger.blocks());
                        client.pread(ledger.offsetOf(block), WriteLedger.BLOCK);
                    } else {
                        ledger.flush(client);
                    }
                } catch (NbdClientException e) {
                    if (!errorsInjected || e.error() != WriteLedger.EIO) {
                        throw e;
                    }
                }
            }
        }
        if (vanish) {
            try (RawNbdConnection raw = RawNbdConnection.negotiate(socket)) {
                raw.send(RawNbdConnection.requestHeader(RawNbdConnection.CMD_WRITE, 0, 1, 0, WriteLedger.BLOCK).array());
                raw.send(new byte[100]);
            }
        }
        return vanish;
    }

    /** A read through the error filter may fail; it changes nothing, so it is tried again. */
    private static byte[] readPersistently(NbdClient reader, long offset) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return reader.pread(offset, WriteLedger.BLOCK);
            } catch (NbdClientException e) {
                if (e.error() != WriteLedger.EIO || attempt == 50) {
                    throw e;
                }
            }
        }
    }

    private LayerStack stack(Stack served) throws Exception {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(served.plugin)).findFirst().orElseThrow();
        List<Filter> filters = served.errorsInjected ? List.of(new ErrorFilter()) : List.of();
        LayerStack stack = new LayerStack(filters, plugin);
        if (served.errorsInjected) {
            stack.configWord("error-rate=10%");
        }
        if (served == Stack.FILE) {
            Path disk = dir.resolve("disk.img");
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(DISK);
            }
            stack.configWord("file=" + disk);
        } else {
            stack.configWord("size=" + DISK);
        }
        stack.configComplete();
        stack.getReady();
        return stack;
    }

    /** Platform threads other than the JDK's virtual-thread carriers and pollers, which it keeps once started. */
    static int platformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool-") && !n.startsWith("VirtualThread-") && !n.endsWith("Poller")
                        && !n.startsWith("InnocuousThread-") && !n.startsWith("process reaper"))
                .count();
    }

    /** Waits for the threads a server starts only for its start-up (the JFR watch, the warm-up queue) to end. */
    private static void awaitStartThreadsEnded() throws InterruptedException {
        awaitForTenSeconds(() -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .noneMatch(n -> n.equals("nbd4j-jfr-watch") || n.equals("nbd4j-warm-up")));
    }

    static int platformThreadsSettled(int baseline) throws InterruptedException {
        awaitForTenSeconds(() -> platformThreads() <= baseline);
        return platformThreads();
    }

    /** Returns once {@code done} holds, or after 10 s; the caller's assertion says which. */
    private static void awaitForTenSeconds(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
