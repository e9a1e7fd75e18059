package io.nbd4j.server;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fuzzing run against one server: feeds each input as a whole connection ({@link FuzzedConnection})
 * and checks that nothing escaped it (no exception logged as unexpected, none uncaught on any thread),
 * and at the end that the platform threads are back to the baseline and direct memory is bounded.
 * Used by the fuzz tests of the server alone and of filter stacks on it (the error filter's).
 *
 * <p>Started and stopped by the test class's lifecycle methods; {@link #check} is called by one property
 * at a time.
 */
final class FuzzHarness {
    private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    private final AtomicLong inputs = new AtomicLong();
    private final NbdServer server;
    private final Thread.UncaughtExceptionHandler previousHandler;
    private final long baselineUnexpected;
    private final int baselineThreads;

    private FuzzHarness(NbdServer.Builder builder) throws Exception {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        baselineUnexpected = Connection.UNEXPECTED_FAILURES.get();
        server = builder.start();
        // the JDK starts its I/O poller threads on first use: the baseline is taken after one connection
        FuzzedConnection.feed(server, new byte[0]);
        baselineThreads = platformThreads();
    }

    /** Starts the server {@code builder} describes (without listeners) and takes the baselines. */
    static FuzzHarness start(NbdServer.Builder builder) throws Exception {
        return new FuzzHarness(builder);
    }

    void check(byte[] input) throws Exception {
        inputs.incrementAndGet();
        try {
            FuzzedConnection.feed(server, input);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; input " + HexFormat.of().formatHex(input), e);
        }
        assertThat(uncaught).as("uncaught exceptions; input %s", HexFormat.of().formatHex(input)).isEmpty();
        assertThat(Connection.UNEXPECTED_FAILURES.get()).as("unexpected failures logged; input %s",
                HexFormat.of().formatHex(input)).isEqualTo(baselineUnexpected);
    }

    long inputs() {
        return inputs.get();
    }

    void stopAndCheckForLeaks() throws InterruptedException {
        server.close();
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (platformThreads() > baselineThreads && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(platformThreads()).as("platform threads after %d fuzzed connections: %s", inputs.get(),
                        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList())
                .isLessThanOrEqualTo(baselineThreads);
        assertThat(directMemoryUsed()).as("direct memory after fuzzing").isLessThan(256L << 20);
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
}
