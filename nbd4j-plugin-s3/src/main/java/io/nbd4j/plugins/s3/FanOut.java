package io.nbd4j.plugins.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the per-object parts of one request at the same time, one virtual thread each, and returns when
 * all have ended: an object store answers many small requests in parallel far faster than in turn. A
 * request of one part runs on the calling thread. The first failure is thrown once every part has ended,
 * so no part is still writing when the client hears of the error.
 *
 * <p>Threads: stateless; each call uses its own executor.
 */
final class FanOut {
    /** One part's work. */
    interface Part<P> {
        void run(P part) throws IOException;
    }

    private FanOut() {}

    static <P> void forEach(List<P> parts, Part<P> work) throws IOException {
        if (parts.size() == 1) {
            work.run(parts.getFirst());
            return;
        }
        List<Future<Void>> running = new ArrayList<>(parts.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (P part : parts) {
                running.add(threads.submit(() -> {
                    work.run(part);
                    return null;
                }));
            }
        }
        IOException first = null;
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                IOException failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                if (first == null) {
                    first = failure;
                } else if (first != failure) {
                    first.addSuppressed(failure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the object store");
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
