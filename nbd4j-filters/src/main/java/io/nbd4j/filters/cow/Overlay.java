package io.nbd4j.filters.cow;

import io.nbd4j.filters.common.BlockFile;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writable overlay of one export, shared by every connection to it: a {@link BlockFile} whose
 * block {@code b} lies at the disk's own offset, with one state per block. An absent block reads
 * through to the layer below; a block with data reads from the file; a trimmed or zeroed block reads
 * as zeroes (trimmed ones are reported as holes, zeroed ones as zero data). The layer below is only
 * read, and is assumed to serve the same bytes every time, to every connection.
 *
 * <p><b>Threads.</b> Every change to a block (its bytes, then its state) is made under the block's
 * lock, one block at a time, and a change that depends on the old content (a partial write, zero or
 * trim; keeping what a read fetched) reads that content under the same lock. So concurrent writes to
 * one block never undo each other, and a block fetched for {@code cow-on-read} is kept only if nothing
 * was written to it meanwhile. Reads take no lock: they look at the states (volatile) and read what
 * each says; a write finished before a read starts is always seen. The {@link Next} given to each call
 * is the calling connection's view of the layer below.
 */
final class Overlay implements AutoCloseable {
    static final byte ABSENT = 0;
    static final byte DATA = 1;
    static final byte TRIMMED = 2;
    static final byte ZEROED = 3;

    private final BlockFile blocks;

    Overlay(long size, int blockSize, Path directory) throws IOException {
        this.blocks = new BlockFile(size, blockSize, directory, "nbd4j-cow-");
    }

    long size() {
        return blocks.size();
    }

    /** The state of the block holding {@code offset} (for tests). */
    byte stateAt(long offset) {
        return blocks.state(blocks.blockOf(offset));
    }

    // ---- reads ----

    /**
     * Fills {@code buffer} with the disk's bytes at {@code offset}: runs of blocks in the same state are
     * served with one call each. With {@code keep}, blocks fetched from below are kept in the overlay.
     */
    void read(Next below, ByteBuffer buffer, long offset, boolean keep) throws IOException {
        int base = buffer.position();
        long end = offset + buffer.remaining();
        for (long pos = offset; pos < end; ) {
            int first = blocks.blockOf(pos);
            byte state = blocks.state(first);
            int last = lastOfRun(first, state, end);
            long runEnd = Math.min(end, blocks.start(last) + blocks.length(last));
            ByteBuffer part = buffer.slice(base + (int) (pos - offset), (int) (runEnd - pos));
            switch (state) {
                case DATA -> blocks.read(pos, part);
                case ABSENT -> {
                    if (keep) {
                        ByteBuffer fetched = fetchAndKeep(below, first, last);
                        part.put(fetched.slice((int) (pos - blocks.start(first)), part.remaining()));
                    } else {
                        below.pread(part, pos, 0);
                    }
                }
                default -> zeroFill(part);
            }
            pos = runEnd;
        }
    }

    /** The last block, from {@code first} on, in {@code state} and starting before {@code end}. */
    private int lastOfRun(int first, byte state, long end) {
        int last = first;
        while (last + 1 < blocks.blocks() && blocks.start(last + 1) < end && blocks.state(last + 1) == state) {
            last++;
        }
        return last;
    }

    /**
     * Reads blocks {@code first..last} from below in one call, then keeps each one that is still absent
     * (the layer below never changes, so what it gave is exactly what an absent block means).
     */
    private ByteBuffer fetchAndKeep(Next below, int first, int last) throws IOException {
        long start = blocks.start(first);
        long stop = blocks.start(last) + blocks.length(last);
        ByteBuffer fetched = ByteBuffer.allocate((int) (stop - start));
        below.pread(fetched.duplicate(), start, 0);
        for (int b = first; b <= last; b++) {
            ReentrantLock lock = blocks.lock(b);
            lock.lock();
            try {
                if (blocks.state(b) == ABSENT) {
                    blocks.write(blocks.start(b), fetched.slice((int) (blocks.start(b) - start), blocks.length(b)));
                    blocks.setState(b, DATA);
                }
            } finally {
                lock.unlock();
            }
        }
        return fetched;
    }

    private static void zeroFill(ByteBuffer part) {
        while (part.hasRemaining()) {
            part.put((byte) 0);
        }
    }

    // ---- writes ----

    /** Writes {@code buffer} (position to limit) at {@code offset}, block by block. */
    void write(Next below, ByteBuffer buffer, long offset) throws IOException {
        int base = buffer.position();
        blocks.forEachPiece(offset, buffer.remaining(),
                (b, inner, len, done) -> change(below, b, inner, len, DATA, buffer.slice(base + (int) done, len)));
    }

    /**
     * Makes {@code [offset, offset + length)} read as zeroes: whole blocks just take {@code wholeState}
     * ({@link #TRIMMED} or {@link #ZEROED}), partial ones are rewritten with zeroes in place.
     */
    void zero(Next below, long length, long offset, byte wholeState) throws IOException {
        blocks.forEachPiece(offset, length, (b, inner, len, done) -> change(below, b, inner, len, wholeState, null));
    }

    /**
     * Changes {@code length} bytes of block {@code b} from {@code inner} on, under its lock: to
     * {@code bytes}, or to zeroes when {@code bytes} is null. A whole block takes {@code wholeState}
     * (its bytes are written only for {@link #DATA}); a part of one is merged into the block's current
     * content, which is then written whole.
     */
    private void change(Next below, int b, int inner, int length, byte wholeState, ByteBuffer bytes) throws IOException {
        boolean whole = inner == 0 && length == blocks.length(b);
        ReentrantLock lock = blocks.lock(b);
        lock.lock();
        try {
            if (whole) {
                if (wholeState == DATA) {
                    blocks.write(blocks.start(b), bytes);
                }
                blocks.setState(b, wholeState);
                return;
            }
            ByteBuffer block = current(below, b);
            if (bytes != null) {
                block.put(inner, bytes, bytes.position(), length);
            } else {
                block.put(inner, new byte[length]);
            }
            blocks.write(blocks.start(b), block);
            blocks.setState(b, DATA);
        } finally {
            lock.unlock();
        }
    }

    /** The block's bytes as clients see them now. Lock held. */
    private ByteBuffer current(Next below, int b) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(blocks.length(b));
        switch (blocks.state(b)) {
            case DATA -> blocks.read(blocks.start(b), block.duplicate());
            case ABSENT -> below.pread(block.duplicate(), blocks.start(b), 0);
            default -> { } // reads as zeroes
        }
        return block;
    }

    // ---- cache and extents ----

    /**
     * Prefetches the blocks holding {@code [offset, offset + length)} that are still absent: into the
     * overlay with {@code keep}, else by passing the request on to the layer below if it caches.
     */
    void cache(Next below, long length, long offset, boolean keep) throws IOException {
        boolean passOn = below.canCache() != CacheMode.NONE;
        long end = offset + length;
        for (int b = blocks.blockOf(offset); b < blocks.blocks() && blocks.start(b) < end; ) {
            int last = lastOfRun(b, blocks.state(b), end);
            if (blocks.state(b) == ABSENT) {
                if (keep) {
                    fetchAndKeep(below, b, last);
                } else if (passOn) {
                    long start = blocks.start(b);
                    below.cache(blocks.start(last) + blocks.length(last) - start, start, 0);
                }
            }
            b = last + 1;
        }
    }

    /**
     * Reports allocation block by block from the block holding {@code offset}: blocks in the overlay by
     * their state, runs of absent blocks as the layer below reports them (or as data if it has no
     * extents). With {@link Flags#REQ_ONE}, stops after the first run.
     */
    void extents(Next below, long length, long offset, int flags, Extents sink) throws IOException {
        boolean askBelow = below.canExtents();
        long end = Math.min(offset + length, blocks.size());
        for (int b = blocks.blockOf(offset); b < blocks.blocks() && blocks.start(b) < end; ) {
            byte state = blocks.state(b);
            int last = lastOfRun(b, state, end);
            long start = blocks.start(b);
            long stop = blocks.start(last) + blocks.length(last);
            if (state == ABSENT && askBelow) {
                ExtentList.full(below, stop - start, start, flags).sendTo(sink);
            } else {
                sink.add(start, stop - start, typeOf(state));
            }
            if (Flags.has(flags, Flags.REQ_ONE)) {
                return;
            }
            b = last + 1;
        }
    }

    private static int typeOf(byte state) {
        return switch (state) {
            case TRIMMED -> Extents.HOLE | Extents.ZERO;
            case ZEROED -> Extents.ZERO;
            default -> Extents.DATA;
        };
    }

    @Override
    public void close() throws IOException {
        blocks.close();
    }
}
