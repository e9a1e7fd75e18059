package io.nbd4j.filters.swab;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The swab filter for one connection. Every request must start and end on a word boundary
 * ({@code EINVAL} otherwise; the minimum block size says so to clients that read it, and the blocksize
 * filter in front gives byte access). The disk is cut down to whole words. Reads are swapped in place
 * in the caller's buffer; a write is swapped into a buffer of its own (the caller's is not ours to
 * change), and block status is rounded to whole words.
 *
 * <p><b>Threads.</b> Immutable; safe under any thread model.
 */
final class SwabHandle extends FilterHandle {
    private final WordSwap swap;
    private final int word;

    SwabHandle(Next next, WordSwap swap) {
        super(next);
        this.swap = swap;
        this.word = swap.wordBytes();
    }

    @Override
    public long size() throws IOException {
        return next.size() / word * word;
    }

    @Override
    public BlockSize blockSize() throws IOException {
        BlockSize below = next.blockSize();
        if (below == null) {
            return new BlockSize(word, 512, BlockSize.NO_MAXIMUM);
        }
        long minimum = Math.max(below.minimum(), word);
        return new BlockSize(minimum, Math.max(below.preferred(), minimum), below.maximum());
    }

    private void requireAligned(long length, long offset) throws NbdException {
        if (length % word != 0 || offset % word != 0) {
            throw new NbdException(NbdError.EINVAL, "swab: requests must be aligned to " + word
                    + " bytes (offset " + offset + ", length " + length + ")");
        }
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int at = buffer.position();
        int length = buffer.remaining();
        requireAligned(length, offset);
        next.pread(buffer, offset, flags);
        ByteBuffer read = buffer.slice(at, length);
        swap.swap(read, read);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        requireAligned(buffer.remaining(), offset);
        ByteBuffer swapped = ByteBuffer.allocate(buffer.remaining());
        swap.swap(buffer, swapped);
        next.pwrite(swapped, offset, flags);
    }

    @Override public void trim(long length, long offset, int flags) throws IOException { requireAligned(length, offset); next.trim(length, offset, flags); }
    @Override public void zero(long length, long offset, int flags) throws IOException { requireAligned(length, offset); next.zero(length, offset, flags); }
    @Override public void cache(long length, long offset, int flags) throws IOException { requireAligned(length, offset); next.cache(length, offset, flags); }

    /** A word is a hole or zero only if all of its bytes are; otherwise it is data. */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        requireAligned(length, offset);
        ExtentList.aligned(next, length, offset, flags, word).sendTo(extents);
    }
}
