package io.nbd4j.filters.cache;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cache filter for one connection: serves reads from the export's shared {@link BlockCache} where
 * it can, and writes into it, block by block (read-modify-write for partial blocks), calling the layer
 * below through this connection's {@link Next}.
 *
 * <p><b>Threads.</b> Any number of request threads; every block is handled under its stripe lock,
 * one block at a time.
 */
final class CacheHandle extends FilterHandle {
    private final CacheSettings settings;
    private final CacheFilter.Caches caches;
    private final String export;
    private volatile BlockCache cache;

    CacheHandle(Next next, CacheSettings settings, CacheFilter.Caches caches, String export) {
        super(next);
        this.settings = settings;
        this.caches = caches;
        this.export = export;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        cache = caches.forExport(export, next.size());
    }

    // ---- capabilities ----

    @Override
    public boolean canFlush() throws IOException {
        return settings.mode() != WriteMode.WRITETHROUGH || next.canFlush();
    }

    @Override
    public FuaMode canFua() throws IOException {
        if (!next.canWrite()) {
            return FuaMode.NONE;
        }
        if (settings.mode() == WriteMode.UNSAFE) {
            return FuaMode.NATIVE;
        }
        return next.canFua() == FuaMode.NONE && !next.canFlush() ? FuaMode.NONE : FuaMode.NATIVE;
    }

    @Override
    public boolean canZero() {
        return true;
    }

    @Override
    public boolean canFastZero() {
        return true;
    }

    @Override
    public CacheMode canCache() {
        return CacheMode.NATIVE;
    }

    @Override
    public boolean canMultiConn() throws IOException {
        // One cache serves every connection and a writeback flush writes back everyone's blocks.
        return settings.mode() != WriteMode.WRITETHROUGH || next.canMultiConn();
    }

    // ---- reads ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        boolean keep = settings.cacheOnRead().getAsBoolean();
        forEachBlock(buffer, offset, (block, inner, part) -> {
            if (cache.state(block) != BlockCache.ABSENT) {
                cache.read(block, inner, part);
            } else if (keep) {
                ByteBuffer whole = fetch(block);
                cache.write(block, whole);
                cache.setState(block, BlockCache.CLEAN);
                part.put(whole.slice(inner, part.remaining()));
            } else {
                next.pread(part, cache.start(block) + inner, 0);
            }
        });
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        for (int b = cache.blockOf(offset), last = cache.blockOf(offset + length - 1); b <= last; b++) {
            ReentrantLock lock = cache.lock(b);
            lock.lock();
            try {
                if (cache.state(b) == BlockCache.ABSENT) {
                    cache.write(b, fetch(b));
                    cache.setState(b, BlockCache.CLEAN);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The whole block as the layer below has it. Lock held. */
    private ByteBuffer fetch(int block) throws IOException {
        ByteBuffer whole = ByteBuffer.allocate(cache.length(block));
        next.pread(whole, cache.start(block), 0);
        // Not flip(): the SPI leaves the position after pread unspecified (the sh plugin does not move it).
        return whole.clear();
    }

    /** The whole block as clients see it. Lock held. */
    private ByteBuffer current(int block) throws IOException {
        if (cache.state(block) == BlockCache.ABSENT) {
            return fetch(block);
        }
        ByteBuffer whole = ByteBuffer.allocate(cache.length(block));
        cache.read(block, 0, whole);
        return whole.flip();
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        // The layer below knows nothing of dirty blocks: never let it call them holes.
        next.extents(length, offset, flags, (o, l, type) -> {
            if (type == Extents.DATA) {
                extents.add(o, l, type);
                return;
            }
            long end = o + l;
            for (long pos = o; pos < end; ) {
                int b = cache.blockOf(pos);
                long pieceEnd = Math.min(end, cache.start(b) + cache.length(b));
                extents.add(pos, pieceEnd - pos, cache.isDirty(b) ? Extents.DATA : type);
                pos = pieceEnd;
            }
        });
    }

    // ---- writes ----

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        ByteBuffer src = buffer.duplicate();
        write(offset, src.remaining(), flags, (block, inner, len) -> src.slice(src.position() + (int) (cache.start(block) + inner - offset), len));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        if (Flags.has(flags, Flags.FAST_ZERO)) {
            throw new NbdException(NbdError.ENOTSUP, "cache: zeroing is not faster than writing");
        }
        write(offset, length, flags, (block, inner, len) -> ByteBuffer.allocate(len));
    }

    @FunctionalInterface
    private interface Piece {
        ByteBuffer bytes(int block, int inner, int length);
    }

    private void write(long offset, long length, int flags, Piece piece) throws IOException {
        boolean fua = Flags.has(flags, Flags.FUA) && settings.mode() != WriteMode.UNSAFE;
        boolean through = settings.mode() == WriteMode.WRITETHROUGH || fua;
        boolean belowFua = through && next.canFua() == FuaMode.NATIVE;
        long end = offset + length;
        for (long pos = offset; pos < end; ) {
            int b = cache.blockOf(pos);
            int inner = (int) (pos - cache.start(b));
            int len = (int) Math.min(end - pos, cache.length(b) - inner);
            ReentrantLock lock = cache.lock(b);
            lock.lock();
            try {
                ByteBuffer whole;
                if (inner == 0 && len == cache.length(b)) {
                    whole = piece.bytes(b, 0, len);
                } else {
                    whole = current(b);
                    whole.put(inner, piece.bytes(b, inner, len), 0, len);
                }
                cache.write(b, whole);
                if (through) {
                    next.pwrite(whole.duplicate(), cache.start(b), belowFua && fua ? Flags.FUA : 0);
                    cache.setState(b, BlockCache.CLEAN);
                } else {
                    cache.setState(b, BlockCache.DIRTY);
                }
            } finally {
                lock.unlock();
            }
            pos += len;
        }
        if (fua && !belowFua) {
            next.flush(0);
        }
    }

    // ---- flush ----

    @Override
    public void flush(int flags) throws IOException {
        switch (settings.mode()) {
            case UNSAFE -> { }
            case WRITETHROUGH -> next.flush(flags);
            case WRITEBACK -> writeBack();
        }
    }

    /**
     * Writes every dirty block, whichever connection wrote it, through this connection, then flushes
     * below. A block that fails stays dirty for the next flush; the others are still written back.
     */
    private void writeBack() throws IOException {
        IOException first = null;
        int failed = 0;
        for (int b : cache.dirtyBlocks()) {
            ReentrantLock lock = cache.lock(b);
            lock.lock();
            try {
                if (cache.isDirty(b)) {
                    ByteBuffer whole = ByteBuffer.allocate(cache.length(b));
                    cache.read(b, 0, whole);
                    next.pwrite(whole.flip(), cache.start(b), 0);
                    cache.setState(b, BlockCache.CLEAN);
                }
            } catch (IOException e) {
                failed++;
                if (first == null) {
                    first = e;
                }
            } finally {
                lock.unlock();
            }
        }
        if (next.canFlush()) {
            next.flush(0);
        }
        if (first != null) {
            throw new NbdException(NbdException.errorOf(first),
                    "cache: writing back " + failed + " dirty block(s) failed: " + first.getMessage(), first);
        }
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface BlockRead {
        void run(int block, int inner, ByteBuffer part) throws IOException;
    }

    /** Splits {@code buffer} at block boundaries and runs {@code op} on each part with its block locked. */
    private void forEachBlock(ByteBuffer buffer, long offset, BlockRead op) throws IOException {
        int base = buffer.position();
        int total = buffer.remaining();
        for (int done = 0; done < total; ) {
            long pos = offset + done;
            int b = cache.blockOf(pos);
            int inner = (int) (pos - cache.start(b));
            int len = Math.min(total - done, cache.length(b) - inner);
            ByteBuffer part = buffer.slice(base + done, len);
            ReentrantLock lock = cache.lock(b);
            lock.lock();
            try {
                op.run(b, inner, part);
            } finally {
                lock.unlock();
            }
            done += len;
        }
    }
}
