package io.nbd4j.filters.common;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The background thread that prefetches for one connection of the readahead or scan filter: it runs
 * the tasks it is given one at a time, each usually a cache request to the layer below, while the
 * client's own requests go on. At most {@code queueLimit} tasks wait; when more come the oldest is
 * dropped (a prefetch is only advice). {@link #stop} drops what waits and waits for the running task,
 * which should look at {@link #stopping} if it is long; the thread is never interrupted, since an
 * interrupt would close a layer's file channel under it.
 *
 * <p><b>Threads.</b> {@link #submit} from any request thread; {@link #stop} from the connection's end
 * (finish or close), after which nothing more reaches the layer below.
 */
public final class Prefetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);

    private final ThreadPoolExecutor executor;
    private volatile boolean stopping;

    public Prefetcher(String name, int queueLimit) {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueLimit),
                Thread.ofVirtual().name(name).factory(), new ThreadPoolExecutor.DiscardOldestPolicy());
    }

    /**
     * Whether prefetching through {@code below} can help, as nbdkit decides it: the layer below must
     * cache natively (else a prefetch does nothing) and the server must run requests in parallel
     * (else a prefetch would hold up the client's requests). If not, warns once per {@code warned}
     * flag, suggesting the cache filter below where it would help.
     */
    public static boolean worthwhile(String filter, ThreadModel effective, Next below, AtomicBoolean warned) throws IOException {
        boolean caches = below.canCache() == CacheMode.NATIVE;
        boolean parallel = effective == ThreadModel.PARALLEL;
        if ((!caches || !parallel) && warned.compareAndSet(false, true)) {
            LOG.warn("{}: the layers below {}, so the filter does nothing{}", filter,
                    !parallel ? "do not run requests in parallel (thread model " + effective.nbdkitName() + ")"
                            : "cannot cache (prefetch)",
                    parallel ? "; try adding --filter=cache after this filter" : "");
        }
        return caches && parallel;
    }

    /** A task that may fail; a failure is only logged, since a prefetch is advice. */
    @FunctionalInterface
    public interface Task {
        void run() throws IOException;
    }

    /** Queues {@code task} unless stopping. */
    public void submit(Task task) {
        if (stopping) {
            return;
        }
        executor.execute(() -> {
            if (stopping) {
                return;
            }
            try {
                task.run();
            } catch (IOException | RuntimeException e) {
                LOG.debug("prefetch failed (ignored): {}", e.toString());
            }
        });
    }

    /** Whether {@link #stop} was called: a long task should end. */
    public boolean stopping() {
        return stopping;
    }

    /** Drops the waiting tasks and waits for the running one to end. Idempotent. */
    public void stop() {
        stopping = true;
        executor.getQueue().clear();
        executor.shutdown();
        Uninterruptibly.await(() -> {
            while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.info("a prefetch is still running; waiting for it to end");
            }
        });
    }
}
