package io.nbd4j.filters.cacheextents;

import io.nbd4j.filters.common.UniformWriteHandle;
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
 * Reads pass through untouched and may be sent from the plugin's memory ({@link #readView}).
 *
 * <p><b>Threads.</b> No state of its own beyond the shared {@link ExtentCache}; safe under any thread model.
 */
final class CacheExtentsHandle extends UniformWriteHandle {
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
    public ByteBuffer readView(long offset, int length) throws IOException {
        return next.readView(offset, length);
    }

    /** A write, trim or zero: the cache is forgotten before it starts, and not refilled until it ends. */
    @Override
    protected void write(int flags, WriteCall call) throws IOException {
        cache.writeStarting();
        try {
            call.run(flags);
        } finally {
            cache.writeEnded();
        }
    }
}
