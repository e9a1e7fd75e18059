package io.nbd4j.filters.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a test's requests on threads of their own and joins them, passing on the first failure: for
 * tests that hold one request inside a layer while another arrives.
 *
 * <p><b>Threads.</b> Thread-safe; a failure is kept per thread until {@link #join} reports it.
 */
public final class Concurrently {
    private static final Map<Thread, Throwable> FAILURES = new ConcurrentHashMap<>();

    /** A request that may throw. */
    @FunctionalInterface
    public interface Request {
        void run() throws Exception;
    }

    private Concurrently() {}

    /** Starts {@code request} on a new platform thread. */
    public static Thread start(Request request) {
        return Thread.ofPlatform().start(() -> {
            try {
                request.run();
            } catch (Throwable t) {
                FAILURES.put(Thread.currentThread(), t);
            }
        });
    }

    /** Joins the threads; throws an AssertionError carrying the first failure any of them had. */
    public static void join(Thread... threads) throws InterruptedException {
        AssertionError error = null;
        for (Thread t : threads) {
            t.join();
            Throwable failure = FAILURES.remove(t);
            if (failure != null && error == null) {
                error = new AssertionError("a request failed: " + failure, failure);
            }
        }
        if (error != null) {
            throw error;
        }
    }
}
