package io.nbd4j.filters.checkwrite;

import io.nbd4j.filters.common.BelowContent;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.Extent;
import io.nbd4j.spi.ExtentList;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroMode;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The checkwrite filter for one connection. The layers below were opened read-only and are never
 * written; this layer offers every kind of write, and each one succeeds, changing nothing, only if the
 * layer below already holds what it would leave there: a write its bytes, a trim or zero zeroes
 * (found through block status where the layer below has it, so a copy of a sparse disk stays fast).
 * Any difference is {@code EIO}. Flush does nothing.
 *
 * <p><b>Threads.</b> Stateless; safe under any thread model.
 */
final class CheckWriteHandle extends SameDataHandle {
    CheckWriteHandle(Next next) {
        super(next);
    }

    @Override public boolean canWrite() { return true; }
    @Override public boolean canFlush() { return true; }
    @Override public FuaMode canFua() { return FuaMode.NATIVE; }
    @Override public boolean canTrim() { return true; }
    @Override public boolean canZero() { return true; }
    @Override public ZeroMode zeroMode() { return ZeroMode.NATIVE; }
    /** Offered even when every fast zero over data will be refused: a client that asks learns it cheaply. */
    @Override public boolean canFastZero() { return true; }
    /** Nothing is ever written, so every connection sees the same unchanging disk. */
    @Override public boolean canMultiConn() { return true; }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        if (!BelowContent.matches(next, buffer, offset)) {
            throw mismatch(offset, buffer.remaining());
        }
    }

    @Override
    public void flush(int flags) {}

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        requireZeroes(length, offset, flags);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        requireZeroes(length, offset, flags);
    }

    /**
     * Passes where block status says the range reads as zeroes; elsewhere reads it, unless the request
     * is a fast zero, which cannot be answered without reading and so fails with {@code ENOTSUP}.
     */
    private void requireZeroes(long length, long offset, int flags) throws IOException {
        boolean fast = Flags.has(flags, Flags.FAST_ZERO);
        if (!next.canExtents()) {
            readZeroes(length, offset, fast);
            return;
        }
        for (Extent e : ExtentList.full(next, length, offset, 0).extents()) {
            if (!e.isZero()) {
                readZeroes(e.length(), e.offset(), fast);
            }
        }
    }

    private void readZeroes(long length, long offset, boolean fast) throws IOException {
        if (fast) {
            throw new NbdException(NbdError.ENOTSUP, "checkwrite: a fast zero over data would have to read it");
        }
        if (!BelowContent.readsAsZero(next, length, offset)) {
            throw mismatch(offset, length);
        }
    }

    private static NbdException mismatch(long offset, long length) {
        return new NbdException(NbdError.EIO, "checkwrite: data written does not match the existing content (at "
                + offset + ", " + length + " bytes)");
    }
}
