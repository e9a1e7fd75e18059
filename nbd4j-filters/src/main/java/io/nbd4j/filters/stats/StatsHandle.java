package io.nbd4j.filters.stats;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Times every data call of one connection below the filter and records the successful ones.
 *
 * <p><b>Threads.</b> Any number of request threads at once; it keeps no state of its own.
 */
final class StatsHandle extends FilterHandle {
    private final Stats stats;

    StatsHandle(Next next, Stats stats) {
        super(next);
        this.stats = stats;
    }

    private void done(OpStats op, long length, long offset, long start) {
        op.record(length, offset, System.nanoTime() - start, stats.histogram);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        long length = buffer.remaining();
        long start = System.nanoTime();
        next.pread(buffer, offset, flags);
        done(stats.read, length, offset, start);
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        long length = buffer.remaining();
        long start = System.nanoTime();
        next.pwrite(buffer, offset, flags);
        done(stats.write, length, offset, start);
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        long start = System.nanoTime();
        next.trim(length, offset, flags);
        done(stats.trim, length, offset, start);
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        long start = System.nanoTime();
        next.zero(length, offset, flags);
        done(stats.zero, length, offset, start);
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        long start = System.nanoTime();
        next.extents(length, offset, flags, extents);
        done(stats.extents, length, offset, start);
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        long start = System.nanoTime();
        next.cache(length, offset, flags);
        done(stats.cache, length, offset, start);
    }

    @Override
    public void flush(int flags) throws IOException {
        long start = System.nanoTime();
        next.flush(flags);
        done(stats.flush, 0, 0, start);
    }
}
