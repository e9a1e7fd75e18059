package io.nbd4j.filters.tar;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection's view of a tar entry: the range {@code [offset, offset + size)} of the layer below,
 * read and written in place. The entry is located by {@link #prepare} (once per server, see
 * {@link TarFilter}).
 *
 * <p><b>Threads.</b> {@link #prepare} runs before any data call; afterwards the handle is immutable
 * and passes calls down from as many threads as the layer below allows.
 */
final class TarHandle extends FilterHandle {
    private final TarFilter filter;
    private long offset;
    private long size;

    TarHandle(Next next, TarFilter filter) {
        super(next);
        this.filter = filter;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        EntryLocation entry = filter.locate(next);
        offset = entry.offset();
        size = entry.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void pread(ByteBuffer buffer, long at, int flags) throws IOException {
        next.pread(buffer, offset + at, flags);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long at, int flags) throws IOException {
        next.pwrite(buffer, offset + at, flags);
    }

    @Override
    public void trim(long length, long at, int flags) throws IOException {
        next.trim(length, offset + at, flags);
    }

    @Override
    public void zero(long length, long at, int flags) throws IOException {
        next.zero(length, offset + at, flags);
    }

    @Override
    public void cache(long length, long at, int flags) throws IOException {
        next.cache(length, offset + at, flags);
    }

    @Override
    public void extents(long length, long at, int flags, Extents extents) throws IOException {
        next.extents(length, offset + at, flags, Extents.clipped(Extents.shifted(extents, -offset), offset, offset + size));
    }
}
