package io.nbd4j.filters.cacheextents;

import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.Extent;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The cacheextents filter for one connection: a block status request that starts inside the cached
 * answer is served from it; any other asks the layer below for everything it will say (without
 * {@link Flags#REQ_ONE}), passes that on and keeps it. Writes, trims and zeroes forget the cache.
 *
 * <p><b>Threads.</b> No state of its own beyond the shared {@link ExtentCache}; safe under any thread model.
 */
final class CacheExtentsHandle extends SameDataHandle {
    private final ExtentCache cache;
    private final String export;

    CacheExtentsHandle(Next next, ExtentCache cache, String export) {
        super(next);
        this.cache = cache;
        this.export = export;
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        List<Extent> cached = cache.lookup(export, offset);
        if (cached == null) {
            long token = cache.fillStarting();
            ExtentList answer = new ExtentList(offset, next.size());
            next.extents(length, offset, flags & ~Flags.REQ_ONE, answer);
            cache.store(token, export, answer);
            cached = answer.extents();
        }
        for (Extent e : cached) {
            extents.add(e.offset(), e.length(), e.type());
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        forgettingCache(() -> next.pwrite(buffer, offset, flags));
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        forgettingCache(() -> next.trim(length, offset, flags));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        forgettingCache(() -> next.zero(length, offset, flags));
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private void forgettingCache(Write write) throws IOException {
        cache.writeStarting();
        try {
            write.run();
        } finally {
            cache.writeEnded();
        }
    }
}
