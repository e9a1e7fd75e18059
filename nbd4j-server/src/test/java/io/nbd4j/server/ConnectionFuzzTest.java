package io.nbd4j.server;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated client byte streams, from the first byte after the greeting to close, against
 * a whole in-memory connection. For each: no exception escapes the connection (none logged as
 * unexpected, none uncaught on any thread), the connection ends within a deadline once the client
 * closes, and memory stays bounded (declared lengths are capped before anything is allocated).
 * After all of them the platform threads are back to the baseline and direct memory is bounded.
 *
 * <p>Tries are sized for about a minute in the normal build; {@code -Dnbd4j.fuzz.tries=N} (see
 * SECURITY.md) runs N more streams of each kind. The regression corpus in
 * {@code src/test/resources/fuzz-corpus} is replayed every time.
 */
class ConnectionFuzzTest {
    static final AtomicLong INPUTS = new AtomicLong();
    private static final ConcurrentLinkedQueue<Throwable> UNCAUGHT = new ConcurrentLinkedQueue<>();
    private static NbdServer server;
    private static int baselineThreads;
    private static long baselineUnexpected;
    private static Thread.UncaughtExceptionHandler previousHandler;

    @BeforeContainer
    static void startServer() throws Exception {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.add(e));
        baselineUnexpected = Connection.UNEXPECTED_FAILURES.get();
        server = ServerFixture.builder(new RamDisk(NbdStreams.DISK_SIZE)).maxPayload(NbdStreams.MAX_PAYLOAD).start();
        // the JDK starts its I/O poller threads on first use: the baseline is taken after one connection
        FuzzedConnection.feed(server, new byte[0]);
        baselineThreads = platformThreads();
    }

    @AfterContainer
    static void stopServerAndCheckForLeaks() throws InterruptedException {
        server.close();
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (platformThreads() > baselineThreads && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(platformThreads()).as("platform threads after %d fuzzed connections: %s", INPUTS.get(),
                        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList())
                .isLessThanOrEqualTo(baselineThreads);
        long direct = directMemoryUsed();
        System.out.println("ConnectionFuzzTest: " + INPUTS.get() + " inputs fuzzed; direct memory in use "
                + (direct >> 10) + " KiB");
        assertThat(direct).as("direct memory after fuzzing").isLessThan(256L << 20);
    }

    /**
     * Platform threads other than the JDK's carriers of virtual threads, which it starts on demand and
     * keeps. Virtual threads of a connection cannot outlive it: {@link FuzzedConnection} joins the
     * connection's thread, and a connection waits for its request threads before it returns.
     */
    private static int platformThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool-") && !n.startsWith("VirtualThread-") && !n.startsWith("InnocuousThread-"))
                .count();
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    static void check(byte[] input) throws Exception {
        INPUTS.incrementAndGet();
        try {
            FuzzedConnection.feed(server, input);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; input " + HexFormat.of().formatHex(input), e);
        }
        assertThat(UNCAUGHT).as("uncaught exceptions; input %s", HexFormat.of().formatHex(input)).isEmpty();
        assertThat(Connection.UNEXPECTED_FAILURES.get()).as("unexpected failures logged; input %s",
                HexFormat.of().formatHex(input)).isEqualTo(baselineUnexpected);
    }

    @Property(tries = 30_000)
    void handshakeStreamsEndCleanly(@ForAll("handshakes") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 30_000)
    void transmissionStreamsEndCleanly(@ForAll("transmissions") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 5_000)
    void garbageEndsCleanly(@ForAll("garbage") byte[] input) throws Exception {
        check(input);
    }

    @Property(tries = 1)
    void regressionCorpusEndsCleanly() throws Exception {
        List<Path> corpus = corpus();
        assertThat(corpus).as("regression corpus").isNotEmpty();
        for (Path p : corpus) {
            check(HexFormat.of().parseHex(Files.readAllLines(p).stream()
                    .filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\s", "")).reduce("", String::concat)));
        }
    }

    /** The long run: {@code -Dnbd4j.fuzz.tries=N} feeds N streams of each generated kind. */
    @Property(tries = 1)
    void longRunWhenAsked() throws Exception {
        long tries = Long.getLong("nbd4j.fuzz.tries", 0);
        List<Arbitrary<byte[]>> kinds = List.of(NbdStreams.handshakes(), NbdStreams.transmissions(), NbdStreams.garbage());
        for (Arbitrary<byte[]> kind : kinds) {
            try (Stream<byte[]> inputs = kind.sampleStream().limit(tries)) {
                for (byte[] input : (Iterable<byte[]>) inputs::iterator) {
                    check(input);
                }
            }
        }
    }

    private static List<Path> corpus() {
        try (Stream<Path> files = Files.list(Path.of(ConnectionFuzzTest.class.getResource("/fuzz-corpus").toURI()))) {
            return files.filter(f -> f.toString().endsWith(".hex")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> handshakes() {
        return NbdStreams.handshakes();
    }

    @Provide
    Arbitrary<byte[]> transmissions() {
        return NbdStreams.transmissions();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return NbdStreams.garbage();
    }
}
