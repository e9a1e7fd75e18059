package io.nbd4j.filters.blocksize;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The blocksize filter for one connection. Each request is cut into an unaligned head, an aligned body
 * sent in pieces of at most {@code maxdata} (reads, writes) or {@code maxlen} (trim, zero, cache), and
 * an unaligned tail. Reads round the head and tail out to whole blocks; writes and zeroes read, modify
 * and write the head and tail blocks (under the {@link RmwLocks}); trims leave them alone.
 *
 * <p><b>Threads.</b> Any number of request threads; the limits are set once in {@link #prepare}.
 */
final class BlocksizeHandle extends FilterHandle {
    private final BlocksizeFilter.Configured configured;
    private final RmwLocks locks;
    private volatile Limits limits;

    BlocksizeHandle(Next next, BlocksizeFilter.Configured configured, RmwLocks locks) {
        super(next);
        this.configured = configured;
        this.locks = locks;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        limits = Limits.of(configured, next.blockSize());
    }

    /** The unaligned tail of the layer below cannot be served safely, so it is cut off. */
    @Override
    public long size() throws IOException {
        return limits.roundDown(next.size());
    }

    /** Clients may send anything: the filter sorts it out. Preferred: at least 4K and a whole block. */
    @Override
    public BlockSize blockSize() throws IOException {
        BlockSize below = next.blockSize();
        long preferred = Math.max(Math.max(below == null ? 0 : below.preferred(), 4096), limits.minblock());
        return new BlockSize(1, preferred, BlockSize.NO_MAXIMUM);
    }

    /** One part of a request: {@code length} bytes at {@code at}, {@code done} bytes into the request. */
    @FunctionalInterface
    private interface Part {
        void run(long at, long done, long length) throws IOException;
    }

    /**
     * Cuts {@code [offset, offset + length)} into an unaligned head and tail, each inside one block,
     * given to {@code edge}, and an aligned body given to {@code body} in pieces of at most {@code max}.
     */
    private static void split(Limits l, long offset, long length, long max, Part edge, Part body) throws IOException {
        long end = offset + length;
        long pos = offset;
        long head = offset % l.minblock();
        if (head != 0) {
            long n = Math.min(l.minblock() - head, length);
            edge.run(pos, 0, n);
            pos += n;
        }
        while (end - pos >= l.minblock()) {
            long n = Math.min(max, l.roundDown(end - pos));
            body.run(pos, pos - offset, n);
            pos += n;
        }
        if (pos < end) {
            edge.run(pos, pos - offset, end - pos);
        }
    }

    // ---- reads ----

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        Limits l = limits;
        int base = buffer.position();
        split(l, offset, buffer.remaining(), l.maxdata(),
                (at, done, n) -> {
                    long blockStart = l.roundDown(at);
                    buffer.put(base + (int) done, readBlock(blockStart, flags), (int) (at - blockStart), (int) n);
                },
                (at, done, n) -> next.pread(buffer.slice(base + (int) done, (int) n), at, flags));
    }

    /**
     * A read of whole blocks that fits in one piece reaches the layer below unchanged, so the server may
     * send it from that layer's memory; any other read needs the copying of {@link #pread}.
     */
    @Override
    public ByteBuffer readView(long offset, int length) throws IOException {
        Limits l = limits;
        boolean onePiece = offset % l.minblock() == 0 && length % l.minblock() == 0 && length <= l.maxdata();
        return onePiece ? next.readView(offset, length) : null;
    }

    private ByteBuffer readBlock(long offset, int flags) throws IOException {
        ByteBuffer block = ByteBuffer.allocate((int) limits.minblock());
        next.pread(block.duplicate(), offset, flags);
        return block;
    }

    // ---- writes ----

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        Limits l = limits;
        int passed = fuaBelow(flags);
        int base = buffer.position();
        split(l, offset, buffer.remaining(), l.maxdata(),
                (at, done, n) -> readModifyWrite(l, at, buffer.slice(base + (int) done, (int) n), passed),
                (at, done, n) -> {
                    ByteBuffer piece = buffer.slice(base + (int) done, (int) n);
                    locks.plainWrite(at, n, () -> next.pwrite(piece, at, passed));
                });
        flushIfFuaWasEmulated(flags, passed);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        Limits l = limits;
        if (Flags.has(flags, Flags.FAST_ZERO) && (offset % l.minblock() != 0 || length % l.minblock() != 0
                || length > l.maxlen())) {
            // A zero that needs more than one call below is not fast.
            throw new NbdException(NbdError.ENOTSUP, "blocksize: a fast zero must be one aligned request of at most maxlen");
        }
        int passed = fuaBelow(flags);
        split(l, offset, length, l.maxlen(),
                (at, done, n) -> readModifyWrite(l, at, ByteBuffer.allocate((int) n), passed & Flags.FUA),
                (at, done, n) -> locks.plainWrite(at, n, () -> next.zero(n, at, passed)));
        flushIfFuaWasEmulated(flags, passed);
    }

    /** Trims only the whole blocks: a trimmed range may read as anything, so the ends need no work. */
    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        Limits l = limits;
        int passed = fuaBelow(flags);
        split(l, offset, length, l.maxlen(), (at, done, n) -> { },
                (at, done, n) -> locks.plainWrite(at, n, () -> next.trim(n, at, passed)));
        flushIfFuaWasEmulated(flags, passed);
    }

    /** Reads the block holding {@code at}, puts {@code bytes} there, and writes the block back. */
    private void readModifyWrite(Limits l, long at, ByteBuffer bytes, int flags) throws IOException {
        long blockStart = l.roundDown(at);
        locks.readModifyWrite(blockStart, () -> {
            ByteBuffer block = readBlock(blockStart, 0);
            block.put((int) (at - blockStart), bytes, bytes.position(), bytes.remaining());
            next.pwrite(block, blockStart, flags);
        });
    }

    /** The flags to pass below: FUA is dropped where the layer below only emulates it, for one flush at the end. */
    private int fuaBelow(int flags) throws IOException {
        if (Flags.has(flags, Flags.FUA) && next.canFua() == FuaMode.EMULATE) {
            return flags & ~Flags.FUA;
        }
        return flags;
    }

    private void flushIfFuaWasEmulated(int flags, int passed) throws IOException {
        if (Flags.has(flags, Flags.FUA) && !Flags.has(passed, Flags.FUA)) {
            next.flush(0);
        }
    }

    // ---- cache and extents ----

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        Limits l = limits;
        long start = l.roundDown(offset);
        long end = l.roundUp(offset + length);
        for (long at = start; at < end; ) {
            long keep = Math.min(l.maxdata(), end - at);
            next.cache(keep, at, flags);
            at += keep;
        }
    }

    /** Asks below for whole blocks, at most {@code maxlen} at a time; the server clips the answer to the request. */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        Limits l = limits;
        long start = l.roundDown(offset);
        long asked = Math.min(l.roundUp(offset + length) - start, l.maxlen());
        ExtentList.aligned(next, asked, start, flags, l.minblock()).sendTo(extents);
    }
}
