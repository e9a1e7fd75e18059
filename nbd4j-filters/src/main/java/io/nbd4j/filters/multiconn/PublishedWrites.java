package io.nbd4j.filters.multiconn;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which completed writes of a group a finished flush is known to cover, for groups over a layer that is
 * multi-conn consistent (one flush on any connection publishes every connection's writes). Writes are
 * counted as they complete; a flush notes the count it read before it began, and once it returns every
 * write up to that count is published. A flush request is skipped only when a finished flush already
 * covers the count it reads on arrival, never merely because another flush is in progress (a skipped
 * request could otherwise be answered before the flush that covers it has finished), so concurrent
 * flushes each go down and the kernel or plugin batches them.
 *
 * <p><b>Threads.</b> Any request thread of any member; lock-free.
 */
final class PublishedWrites {
    /** The layer below's flush, for the connection whose request this is. */
    @FunctionalInterface
    interface Flush {
        void run() throws IOException;
    }

    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();

    /** Called after a write returned from the layer below and before it is acknowledged. */
    void writeCompleted() {
        completed.incrementAndGet();
    }

    /** Returns once every write completed before this call is published, calling {@code flush} if needed. */
    void publish(Flush flush) throws IOException {
        long wanted = completed.get();
        if (published.get() >= wanted) {
            return;
        }
        flush.run();
        published.accumulateAndGet(wanted, Math::max);
    }
}
