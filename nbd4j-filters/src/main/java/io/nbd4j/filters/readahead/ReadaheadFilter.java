package io.nbd4j.filters.readahead;

import io.nbd4j.filters.common.Prefetcher;
import io.nbd4j.filters.common.PrefetchingHandle;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --filter=readahead}: each read also asks the layer below to prefetch what follows it, in the
 * background, in a window that adapts to how the client reads. See the package documentation.
 *
 * <p><b>Threads.</b> No configuration; each connection has its own {@link Window} and {@link Prefetcher}.
 */
public final class ReadaheadFilter implements Filter {
    /** Prefetches waiting beyond this many are dropped, oldest first. */
    private static final int QUEUE_LIMIT = 64;

    private final AtomicBoolean warned = new AtomicBoolean();

    @Override
    public String name() {
        return "readahead";
    }

    @Override
    public String description() {
        return "prefetch what follows each read";
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new ReadaheadHandle(below.open(request), request.threadModel(), request.connectionId());
    }

    /**
     * One connection: reads pass through, each preceded by a background prefetch of the window after it
     * when the layers below can prefetch (they cache natively and requests run in parallel).
     */
    private final class ReadaheadHandle extends PrefetchingHandle {
        private final ThreadModel effective;
        private final long connectionId;
        private final Window window = new Window();

        ReadaheadHandle(Next next, ThreadModel effective, long connectionId) {
            super(next);
            this.effective = effective;
            this.connectionId = connectionId;
        }

        @Override
        public void prepare(boolean readOnly) throws IOException {
            if (Prefetcher.worthwhile(name(), effective, next, warned)) {
                prefetcher = new Prefetcher("readahead-conn-" + connectionId, QUEUE_LIMIT);
            }
        }

        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
            Prefetcher p = prefetcher;
            if (p != null) {
                long[] ahead = window.next(offset, buffer.remaining(), next.size());
                if (ahead != null) {
                    p.submit(() -> next.cache(ahead[1], ahead[0], 0));
                }
            }
            next.pread(buffer, offset, flags);
        }
    }
}
