package io.nbd4j.filters.cache;

import io.nbd4j.filters.common.BlockFile;
import io.nbd4j.filters.common.PerExport;
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
 * below through this connection's {@link Next}. After each block it lets a size-limited cache drop
 * blocks, writing dirty ones back through this connection.
 *
 * <p><b>Threads.</b> Any number of request threads; every block is handled under its stripe lock,
 * one block at a time, and reclaiming happens with no stripe held.
 */
final class CacheHandle extends FilterHandle {
    private final CacheSettings settings;
    private final PerExport<BlockCache> caches;
    private final String export;
    private volatile BlockCache cache;
    private volatile DirtyBlocks dirtyBlocks;
    private final CacheMetrics.Counters counters;

    CacheHandle(Next next, CacheSettings settings, PerExport<BlockCache> caches, CacheMetrics metrics, String export) {
        super(next);
        this.settings = settings;
        this.caches = caches;
        this.export = export;
        this.counters = metrics.forExport(export);
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        long size = next.size();
        cache = caches.get(export, () -> new BlockCache(size, settings.blockSize(), settings.limit(), BlockFile.temporaryDirectory()));
        dirtyBlocks = dirtyBlockRule();
    }

    /**
     * What a size-limited cache may do with a dirty block it would drop, through this connection. Unsafe
     * mode writes it back (its only way to the plugin). Writeback mode writes it back and flushes only over
     * a multi-conn plugin: then every connection reads it back from the plugin. Over any other plugin,
     * another connection could read the block back from a stale cache of its own below and write that
     * stale copy back with its next change, undoing this one; so dirty blocks stay until a flush (which
     * the multi-conn filter replays to every connection) and only clean ones are dropped.
     */
    private DirtyBlocks dirtyBlockRule() throws IOException {
        boolean writesBack = settings.mode() == WriteMode.UNSAFE
                || settings.mode() == WriteMode.WRITEBACK && next.canMultiConn();
        boolean flushes = settings.mode() == WriteMode.WRITEBACK && next.canFlush();
        return new DirtyBlocks() {
            @Override
            public boolean mayDrop() {
                return writesBack;
            }

            @Override
            public void writeBack(ByteBuffer block, long offset) throws IOException {
                next.pwrite(block, offset, 0);
            }

            @Override
            public void publish() throws IOException {
                if (flushes) {
                    next.flush(0);
                }
            }
        };
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

    /**
     * One cache serves every connection and a writeback flush writes back everyone's blocks, so without a
     * size limit no data written through the cache is ever read back from the plugin: consistent over any
     * plugin. A limited cache drops blocks and reads them again through whichever connection asks next,
     * from that connection's view of the plugin: consistent only if the plugin is (and never in unsafe
     * mode, whose flush does not reach the plugin).
     */
    @Override
    public boolean canMultiConn() throws IOException {
        return switch (settings.mode()) {
            case WRITETHROUGH -> next.canMultiConn();
            case WRITEBACK -> !settings.limit().limited() || next.canMultiConn();
            case UNSAFE -> !settings.limit().limited();
        };
    }

    // ---- reads ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        boolean keep = settings.cacheOnRead().getAsBoolean();
        CacheMetrics.Counters counted = counters;
        forEachBlock(buffer, offset, (block, inner, part) -> {
            if (cache.state(block) != BlockCache.ABSENT) {
                counted.hits().inc();
                cache.read(block, inner, part);
                return;
            }
            counted.misses().inc();
            if (keep) {
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
            reclaim();
        }
    }

    /** Lets a size-limited cache drop blocks, dirty ones as {@link #dirtyBlockRule()} says. */
    private void reclaim() {
        cache.reclaim(dirtyBlocks);
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
        return cache.state(block) == BlockCache.ABSENT ? fetch(block) : cache.contents(block);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        // The layer below knows nothing of dirty blocks: never let it call them holes.
        next.extents(length, offset, flags, (o, l, type) -> {
            if (type == Extents.DATA) {
                extents.add(o, l, type);
                return;
            }
            long end = Math.min(o + l, cache.size());
            long pos = o;
            while (pos < end) {
                int b = cache.blockOf(pos);
                long pieceEnd = Math.min(end, cache.start(b) + cache.length(b));
                extents.add(pos, pieceEnd - pos, cache.isDirty(b) ? Extents.DATA : type);
                pos = pieceEnd;
            }
            if (pos < o + l) {
                // Past the end of the export, where no block lies: passed on as it came, for the server to drop.
                extents.add(pos, o + l - pos, type);
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
        cache.forEachPiece(offset, length, (b, inner, len, done) -> {
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
            reclaim();
        });
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
                    next.pwrite(cache.contents(b), cache.start(b), 0);
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
        cache.forEachPiece(offset, buffer.remaining(), (b, inner, len, done) -> {
            ByteBuffer part = buffer.slice(base + (int) done, len);
            ReentrantLock lock = cache.lock(b);
            lock.lock();
            try {
                op.run(b, inner, part);
            } finally {
                lock.unlock();
            }
            reclaim();
        });
    }
}
