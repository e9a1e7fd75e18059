package io.nbd4j.filters.common;

import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

/**
 * A connection's handle that may prefetch in the background on a {@link Prefetcher}: the prefetcher
 * stops when the connection finishes, and also when it closes without finishing, so that no prefetch
 * outlives the layers below.
 *
 * <p>Threads: {@link #prefetcher} is set once, by {@code prepare}, and read by request threads.
 */
public abstract class PrefetchingHandle extends FilterHandle {
    /** Null until the subclass decides prefetching is worthwhile. */
    protected volatile Prefetcher prefetcher;

    protected PrefetchingHandle(Next next) {
        super(next);
    }

    @Override
    public void finish() {
        stopPrefetching();
    }

    @Override
    public void close() {
        stopPrefetching();
    }

    private void stopPrefetching() {
        Prefetcher p = prefetcher;
        if (p != null) {
            p.stop();
        }
    }
}
