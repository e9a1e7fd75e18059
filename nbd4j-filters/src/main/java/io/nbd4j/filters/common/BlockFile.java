package io.nbd4j.filters.common;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A disk's worth of fixed-size blocks kept in a temporary file, with one state byte and one lock per
 * block: the storage under the cache filter's cache and the cow filter's overlay. The file is deleted
 * as soon as it is open, so nothing is left behind even after a crash, as nbdkit does. What a state
 * means, and where in the file a block's bytes lie, is the user's business; the file grows sparse, and
 * bytes never written read as zeroes.
 *
 * <p><b>Threads.</b> Thread-safe. A block's state is read and written with volatile semantics, so a
 * caller may look at it without the lock; changing a block (its bytes, then its state) is done under
 * its {@link #lock}. Locks are striped, so two blocks may share one: a caller holds at most one block
 * lock at a time, which leaves no lock order to get wrong. File I/O is positional, which
 * {@link FileChannel} allows from many threads at once.
 */
public final class BlockFile implements AutoCloseable {
    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final int STRIPES = 256;

    /** Where a piece of a request falls: which block, from where in it, how long, and how far into the request. */
    @FunctionalInterface
    public interface Piece {
        void run(int block, int inner, int length, long done) throws IOException;
    }

    private final long size;
    private final int blockSize;
    private final byte[] states;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final FileChannel file;

    /**
     * A file for a disk of {@code size} bytes in blocks of {@code blockSize} (the last one may be
     * short), every block in state 0, created in {@code directory} with a name starting {@code prefix}.
     */
    public BlockFile(long size, int blockSize, Path directory, String prefix) throws IOException {
        long blocks = (size + blockSize - 1) / blockSize;
        if (blocks > Integer.MAX_VALUE - 8) {
            throw new IOException("a disk of " + size + " bytes has too many blocks of " + blockSize + " bytes");
        }
        this.size = size;
        this.blockSize = blockSize;
        this.states = new byte[(int) blocks];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        Path tmp = Files.createTempFile(directory, prefix, ".tmp");
        try {
            file = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Where temporary block files go: {@code $TMPDIR}, else {@code /var/tmp} as nbdkit does (it may be larger than /tmp). */
    public static Path temporaryDirectory() {
        String tmp = System.getenv("TMPDIR");
        return Path.of(tmp != null && !tmp.isEmpty() ? tmp : "/var/tmp");
    }

    /** Parses a block size parameter: a size that is a power of 2 from 4K to 1G. */
    public static int parseBlockSize(String key, String value) throws ConfigException {
        long size = Values.parseSize(key, value);
        if (size < 4096 || size > (1 << 30) || Long.bitCount(size) != 1) {
            throw new ConfigException(key + ": '" + value + "' must be a power of 2 from 4K to 1G");
        }
        return (int) size;
    }

    public long size() {
        return size;
    }

    public int blockSize() {
        return blockSize;
    }

    /** How many blocks the disk has, a short last one included. */
    public int blocks() {
        return states.length;
    }

    public int blockOf(long offset) {
        return (int) (offset / blockSize);
    }

    public long start(int block) {
        return (long) block * blockSize;
    }

    /** The block's length: {@link #blockSize} except for a short last block. */
    public int length(int block) {
        return (int) Math.min(blockSize, size - start(block));
    }

    /** The lock a change to {@code block} is made under (shared with other blocks). */
    public ReentrantLock lock(int block) {
        return stripes[block % STRIPES];
    }

    public byte state(int block) {
        return (byte) STATE.getVolatile(states, block);
    }

    /** Sets the block's state; call with its lock held, after its bytes are in place. */
    public void setState(int block, byte state) {
        STATE.setVolatile(states, block, state);
    }

    /**
     * Splits {@code [offset, offset + length)} at block boundaries and runs {@code piece} on each part
     * in order, with no lock held.
     */
    public void forEachPiece(long offset, long length, Piece piece) throws IOException {
        long end = offset + length;
        for (long pos = offset; pos < end; ) {
            int b = blockOf(pos);
            int inner = (int) (pos - start(b));
            int len = (int) Math.min(end - pos, length(b) - inner);
            piece.run(b, inner, len, pos - offset);
            pos += len;
        }
    }

    /** Fills {@code dst} with the file's bytes from {@code position} on; what was never written reads as zeroes. */
    public void read(long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = file.read(dst, pos);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    /** Writes the bytes of {@code src} (position to limit, which it leaves alone) to the file at {@code position}. */
    public void write(long position, ByteBuffer src) throws IOException {
        ByteBuffer b = src.duplicate();
        long pos = position;
        while (b.hasRemaining()) {
            pos += file.write(b, pos);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
