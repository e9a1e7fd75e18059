package io.nbd4j.filters.common;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link FilterHandle} that serves bytes {@code [start, start + length)} of the layer below as its
 * whole export, for the filters that cut a window out of a disk (offset, partition). The subclass
 * finds the window in {@link #prepare} and sets it with {@link #window}; every data call is moved by
 * {@code start}, and block status is clipped to the window. Buffers pass through untouched, and a read
 * may still be sent from the plugin's memory ({@link #readView}): a read or write costs one addition.
 *
 * <p><b>Threads.</b> The window is set once, in {@code prepare} on the connection's thread, before the
 * server starts that connection's requests (which happen after it); after that the handle is
 * immutable and safe under any thread model.
 */
public abstract class WindowHandle extends FilterHandle {
    private long start;
    private long length;

    protected WindowHandle(Next next) {
        super(next);
    }

    /** Sets the window; called from {@code prepare}, once. */
    protected final void window(long start, long length) {
        this.start = start;
        this.length = length;
    }

    @Override public long size() { return length; }

    @Override public void pread(ByteBuffer buffer, long offset, int flags) throws IOException { next.pread(buffer, offset + start, flags); }
    @Override public ByteBuffer readView(long offset, int length) throws IOException { return next.readView(offset + start, length); }
    @Override public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException { next.pwrite(buffer, offset + start, flags); }
    @Override public void trim(long length, long offset, int flags) throws IOException { next.trim(length, offset + start, flags); }
    @Override public void zero(long length, long offset, int flags) throws IOException { next.zero(length, offset + start, flags); }
    @Override public void cache(long length, long offset, int flags) throws IOException { next.cache(length, offset + start, flags); }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        next.extents(length, offset + start, flags, Extents.clipped(Extents.shifted(extents, -start), start, start + this.length));
    }
}
