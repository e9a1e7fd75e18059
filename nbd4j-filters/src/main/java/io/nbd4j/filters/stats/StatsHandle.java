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

    /** One call to the layer below, bound to its arguments. */
    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    /**
     * Runs {@code call} and, if it succeeds, records it in {@code op} with the time it took; a failed
     * call is not counted. {@code length} is taken before the call, which may move a buffer's position.
     */
    private void timed(OpStats op, long length, long offset, Call call) throws IOException {
        long start = System.nanoTime();
        call.run();
        op.record(length, offset, System.nanoTime() - start, stats.histogram);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        timed(stats.read, buffer.remaining(), offset, () -> next.pread(buffer, offset, flags));
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        timed(stats.write, buffer.remaining(), offset, () -> next.pwrite(buffer, offset, flags));
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        timed(stats.trim, length, offset, () -> next.trim(length, offset, flags));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        timed(stats.zero, length, offset, () -> next.zero(length, offset, flags));
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        timed(stats.extents, length, offset, () -> next.extents(length, offset, flags, extents));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        timed(stats.cache, length, offset, () -> next.cache(length, offset, flags));
    }

    @Override
    public void flush(int flags) throws IOException {
        timed(stats.flush, 0, 0, () -> next.flush(flags));
    }
}
