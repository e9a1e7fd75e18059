package io.nbd4j.filters.cache;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cached blocks of one export, shared by every connection to it, kept in a temporary file that is
 * deleted as soon as it is open (so nothing is left behind, even after a crash), as nbdkit does. Each
 * block is absent, clean (same as the plugin) or dirty (newer than the plugin). Where a block's bytes lie
 * in the file, and which blocks a size-limited cache drops, is the {@link Residency}'s business.
 *
 * <p><b>Threads.</b> A block's content and state change only under that block's stripe lock
 * ({@link #lock}); a caller holds at most one stripe at a time, so there is no lock order to get wrong.
 * States are read with volatile semantics so that {@link #isDirty} may be asked without the lock.
 * File I/O is positional, which {@link FileChannel} allows from many threads at once. Reclaiming takes
 * the {@link Reclaimer}'s lock and then one stripe at a time; nobody takes that lock holding a stripe.
 */
final class BlockCache implements AutoCloseable {
    static final byte ABSENT = 0;
    static final byte CLEAN = 1;
    static final byte DIRTY = 2;

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final int STRIPES = 256;

    private final long size;
    private final int blockSize;
    private final byte[] states;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    private final FileChannel file;
    private final Residency residency;
    private final Reclaimer reclaimer;

    BlockCache(long size, int blockSize, CacheLimit limit, Path directory) throws IOException {
        long blocks = (size + blockSize - 1) / blockSize;
        if (blocks > Integer.MAX_VALUE - 8) {
            throw new IOException("cache: export of " + size + " bytes has too many blocks of " + blockSize + " bytes");
        }
        this.size = size;
        this.blockSize = blockSize;
        this.states = new byte[(int) blocks];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.residency = limit.limited() ? new LimitedResidency((int) blocks, blockSize, limit)
                : new Residency.Unlimited(blockSize);
        this.reclaimer = new Reclaimer(this, residency);
        Path tmp = Files.createTempFile(directory, "nbd4j-cache-", ".tmp");
        try {
            file = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.delete(tmp);
        }
    }

    long size() {
        return size;
    }

    int blockSize() {
        return blockSize;
    }

    int blockOf(long offset) {
        return (int) (offset / blockSize);
    }

    long start(int block) {
        return (long) block * blockSize;
    }

    /** The block's length: {@link #blockSize} except for a short last block. */
    int length(int block) {
        return (int) Math.min(blockSize, size - start(block));
    }

    ReentrantLock lock(int block) {
        return stripes[block % STRIPES];
    }

    byte state(int block) {
        return (byte) STATE.getVolatile(states, block);
    }

    boolean isDirty(int block) {
        return state(block) == DIRTY;
    }

    /** Call with the block's lock held. */
    void setState(int block, byte state) {
        STATE.setVolatile(states, block, state);
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
        readAt(residency.place(block) + inner, dst);
    }

    /** The whole of a cached block, positioned at 0. Lock held. */
    ByteBuffer contents(int block) throws IOException {
        ByteBuffer whole = ByteBuffer.allocate(length(block));
        readAt(residency.place(block), whole);
        return whole.flip();
    }

    private void readAt(long pos, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = file.read(dst, pos);
            if (n < 0) {
                // Past the end of the file: never written, so zeroes.
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    /** Stores {@code src} (a whole block) into the cache file, making room for a block not held yet. Lock held. */
    void write(int block, ByteBuffer src) throws IOException {
        if (state(block) != ABSENT) {
            // A block newly taken in is not marked: only a second use earns it a second chance.
            residency.touched(block);
        }
        long pos = residency.place(block);
        ByteBuffer b = src.duplicate();
        while (b.hasRemaining()) {
            pos += file.write(b, pos);
        }
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
        file.close();
    }
}
