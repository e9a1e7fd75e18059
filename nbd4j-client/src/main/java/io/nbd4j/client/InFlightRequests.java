package io.nbd4j.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one connection that await their final reply, by cookie, and the connection's terminal
 * failure once it has one.
 *
 * <p>Threading: any thread registers; the reader thread looks up and removes; any thread may fail the
 * table. A request registered concurrently with {@link #failAll} is failed exactly once, by whichever
 * side removes it from the map.
 */
final class InFlightRequests {
    private final ConcurrentHashMap<Long, PendingRequest> byCookie = new ConcurrentHashMap<>();
    private final AtomicLong nextCookie = new AtomicLong(1);
    private volatile NbdClientException failure;

    long nextCookie() {
        return nextCookie.getAndIncrement();
    }

    /** Adds {@code request}, or throws the connection's failure if it already has one. */
    void register(PendingRequest request) throws NbdClientException {
        NbdClientException known = failure;
        if (known != null) {
            throw known.rethrownHere();
        }
        byCookie.put(request.cookie, request);
        known = failure;
        if (known != null && byCookie.remove(request.cookie, request)) {
            throw known.rethrownHere();
        }
    }

    PendingRequest get(long cookie) {
        return byCookie.get(cookie);
    }

    void remove(PendingRequest request) {
        byCookie.remove(request.cookie, request);
    }

    /** Fails every request now and every later registration with {@code cause} (the first cause wins). */
    void failAll(NbdClientException cause) {
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            }
        }
        for (PendingRequest request : byCookie.values()) {
            if (byCookie.remove(request.cookie, request)) {
                request.fail(failure);
            }
        }
    }

    NbdClientException failure() {
        return failure;
    }

    /** Waits until every request registered so far has completed, or {@code timeout} passes. */
    void awaitCompletion(Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] pending = byCookie.values().stream()
                .map(PendingRequest::done).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException ignored) {
            // Failed requests have completed too; after the timeout the caller proceeds regardless.
        }
    }
}
