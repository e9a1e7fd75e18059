package io.nbd4j.filters.common;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link FilterHandle} whose data calls each go through one method, {@link #around}, which decides
 * what happens before and after the call reaches the layer below, and whether it does: for the
 * filters that wait (delay, pause), fail (error) or record (log) the same way whatever the call.
 * A subclass may still override a single call to treat it apart.
 *
 * <p><b>Threads.</b> Adds no state; as thread-safe as the subclass's {@link #around}.
 */
public abstract class InterceptingHandle extends FilterHandle {
    /** One data call bound to its arguments, waiting to be sent to the layer below. */
    @FunctionalInterface
    protected interface Below {
        void call() throws IOException;
    }

    protected InterceptingHandle(Next next) {
        super(next);
    }

    /**
     * Handles one data call.
     *
     * @param operation which call
     * @param offset    where it starts (0 for flush)
     * @param length    how many bytes it covers (0 for flush), taken before the call
     * @param flags     the call's flags
     * @param below     sends it to the layer below; call it at most once
     */
    protected abstract void around(Operation operation, long offset, long length, int flags, Below below)
            throws IOException;

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        around(Operation.PREAD, offset, buffer.remaining(), flags, () -> next.pread(buffer, offset, flags));
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        around(Operation.PWRITE, offset, buffer.remaining(), flags, () -> next.pwrite(buffer, offset, flags));
    }

    @Override
    public void zero(long length, long offset, int flags) throws IOException {
        around(Operation.ZERO, offset, length, flags, () -> next.zero(length, offset, flags));
    }

    @Override
    public void trim(long length, long offset, int flags) throws IOException {
        around(Operation.TRIM, offset, length, flags, () -> next.trim(length, offset, flags));
    }

    @Override
    public void flush(int flags) throws IOException {
        around(Operation.FLUSH, 0, 0, flags, () -> next.flush(flags));
    }

    @Override
    public void extents(long length, long offset, int flags, Extents extents) throws IOException {
        around(Operation.EXTENTS, offset, length, flags, () -> next.extents(length, offset, flags, extents));
    }

    @Override
    public void cache(long length, long offset, int flags) throws IOException {
        around(Operation.CACHE, offset, length, flags, () -> next.cache(length, offset, flags));
    }
}
