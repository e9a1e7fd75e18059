package io.nbd4j.filters.cache;

import io.nbd4j.filters.common.BlockFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cached blocks of one export, shared by every connection to it, kept in a temporary
 * {@link BlockFile}. Each block is absent, clean (same as the plugin) or dirty (newer than the plugin).
 * Where a block's bytes lie in the file, and which blocks a size-limited cache drops, is the
 * {@link Residency}'s business.
 *
 * <p><b>Threads.</b> A block's content and state change only under that block's stripe lock
 * ({@link #lock}); a caller holds at most one stripe at a time, so there is no lock order to get wrong.
 * States are read with volatile semantics so that {@link #isDirty} may be asked without the lock.
 * Reclaiming takes the {@link Reclaimer}'s lock and then one stripe at a time; nobody takes that lock
 * holding a stripe.
 */
final class BlockCache implements AutoCloseable {
    static final byte ABSENT = 0;
    static final byte CLEAN = 1;
    static final byte DIRTY = 2;

    private final BlockFile blocks;
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    private final Residency residency;
    private final Reclaimer reclaimer;

    BlockCache(long size, int blockSize, CacheLimit limit, Path directory) throws IOException {
        this.blocks = new BlockFile(size, blockSize, directory, "nbd4j-cache-");
        this.residency = limit.limited() ? new LimitedResidency(blocks.blocks(), blockSize, limit)
                : new Residency.Unlimited(blockSize);
        this.reclaimer = new Reclaimer(this, residency);
    }

    long size() {
        return blocks.size();
    }

    int blockSize() {
        return blocks.blockSize();
    }

    int blockOf(long offset) {
        return blocks.blockOf(offset);
    }

    long start(int block) {
        return blocks.start(block);
    }

    /** The block's length: {@link #blockSize} except for a short last block. */
    int length(int block) {
        return blocks.length(block);
    }

    /** See {@link BlockFile#forEachPiece}. */
    void forEachPiece(long offset, long length, BlockFile.Piece piece) throws IOException {
        blocks.forEachPiece(offset, length, piece);
    }

    ReentrantLock lock(int block) {
        return blocks.lock(block);
    }

    byte state(int block) {
        return blocks.state(block);
    }

    boolean isDirty(int block) {
        return state(block) == DIRTY;
    }

    /** Call with the block's lock held. */
    void setState(int block, byte state) {
        blocks.setState(block, state);
        if (state == DIRTY) {
            dirty.add(block);
        } else {
            dirty.remove(block);
        }
    }

    /** The dirty blocks, in ascending order (a snapshot; may include blocks cleaned since). */
    int[] dirtyBlocks() {
        return dirty.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Reads {@code dst.remaining()} bytes of a cached block from {@code inner} on. Lock held. */
    void read(int block, int inner, ByteBuffer dst) throws IOException {
        residency.touched(block);
        blocks.read(residency.place(block) + inner, dst);
    }

    /** The whole of a cached block, positioned at 0. Lock held. */
    ByteBuffer contents(int block) throws IOException {
        ByteBuffer whole = ByteBuffer.allocate(length(block));
        blocks.read(residency.place(block), whole);
        return whole.flip();
    }

    /** Stores {@code src} (a whole block) into the cache file, making room for a block not held yet. Lock held. */
    void write(int block, ByteBuffer src) throws IOException {
        if (state(block) != ABSENT) {
            // A block newly taken in is not marked: only a second use earns it a second chance.
            residency.touched(block);
        }
        blocks.write(residency.place(block), src);
    }

    /**
     * Lets a size-limited cache drop blocks (see {@link Reclaimer}); {@code dirty} says how this caller's
     * connection may write dirty ones back. Call after each block handled, with no block lock held.
     */
    void reclaim(DirtyBlocks dirty) {
        if (residency.full()) {
            reclaimer.reclaim(dirty);
        }
    }

    /** The residency, for tests that look at a size-limited cache's slots. */
    Residency residency() {
        return residency;
    }

    @Override
    public void close() throws IOException {
        blocks.close();
    }
}
