package io.nbd4j.filters.truncate;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroBytes;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The truncate filter for one connection. The layer below's size is read once, in {@code prepare}, and
 * both sizes stay fixed for the connection (NBD has no resize), even if the layer below changes size
 * meanwhile. Requests are cut at the layer below's end: past it, reads are zeroes, writes must be
 * zeroes (else {@code ENOSPC}), and trim, zero and cache do nothing.
 *
 * <p><b>Threads.</b> The sizes are set in {@code prepare}, before any request; afterwards the handle is
 * immutable and safe under any thread model.
 */
final class TruncateHandle extends FilterHandle {
    private final SizeRule rule;
    private long real;
    private long size;

    TruncateHandle(Next next, SizeRule rule) {
        super(next);
        this.rule = rule;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        real = next.size();
        size = rule.apply(real);
    }

    @Override
    public long size() {
        return size;
    }

    /** Block status past the layer below's end is answered here, so it is always offered. */
    @Override
    public boolean canExtents() {
        return true;
    }

    /** Zeroing the part past the layer below's end is free, so fast zero is offered whatever the layer says. */
    @Override
    public boolean canFastZero() {
        return true;
    }

    /** How many of {@code length} bytes at {@code offset} lie inside the layer below. */
    private long inside(long offset, long length) {
        return offset >= real ? 0 : Math.min(length, real - offset);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        int length = buffer.remaining();
        int below = (int) inside(offset, length);
        if (below == length) {
            next.pread(buffer, offset, flags);
            return;
        }
        int at = buffer.position();
        if (below > 0) {
            next.pread(buffer.slice(at, below), offset, flags);
        }
        ZeroBytes.fill(buffer.slice(at + below, length - below));
    }

    @Override
    public ByteBuffer readView(long offset, int length) throws IOException {
        return inside(offset, length) == length ? next.readView(offset, length) : null;
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        int length = buffer.remaining();
        int below = (int) inside(offset, length);
        if (below == length) {
            next.pwrite(buffer, offset, flags);
            return;
        }
        int at = buffer.position();
        if (!ZeroBytes.isZero(buffer.slice(at + below, length - below))) {
            throw new NbdException(NbdError.ENOSPC, "truncate: write of non-zero bytes beyond the end of the layer below ("
                    + real + " bytes)");
        }
        if (below > 0) {
            next.pwrite(buffer.slice(at, below), offset, flags);
        }
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        insideOnly(length, offset, n -> next.trim(n, offset, flags));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        insideOnly(length, offset, n -> next.zero(n, offset, flags));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        insideOnly(length, offset, n -> next.cache(n, offset, flags));
    }

    /** A trim, zero or cache of the layer below, waiting for its length. */
    @FunctionalInterface
    private interface RangeCall {
        void run(long length) throws IOException;
    }

    /** Passes the part of the range inside the layer below to {@code call}; past its end there is nothing to do. */
    private void insideOnly(long length, long offset, RangeCall call) throws IOException {
        long below = inside(offset, length);
        if (below > 0) {
            call.run(below);
        }
    }

    /**
     * Inside the layer below, its answer cut at its end; past it, one hole that reads as zeroes. A
     * request that spans both gets the first part only, and the client asks again for the rest.
     */
    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        long below = inside(offset, length);
        if (below == 0) {
            extents.add(real, size - real, Extents.HOLE | Extents.ZERO);
            return;
        }
        next.extents(below, offset, flags, Extents.clipped(extents, 0, real));
    }
}
