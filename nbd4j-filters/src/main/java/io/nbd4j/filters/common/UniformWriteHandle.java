package io.nbd4j.filters.common;

import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link FilterHandle} whose pwrite, zero and trim all go through {@link #write}, for a filter that
 * treats the three alike: the fua filter rewrites their FUA flag, the multi-conn filter also records
 * that the connection wrote. The subclass decides with which flags, and whether at all, the call
 * reaches the layer below, and what to do around it.
 *
 * <p><b>Threads.</b> Adds no state; as thread-safe as the subclass's {@link #write}.
 */
public abstract class UniformWriteHandle extends FilterHandle {
    /** One pwrite, zero or trim, bound to its buffer or range, waiting for the flags to send it with. */
    @FunctionalInterface
    protected interface WriteCall {
        void run(int flags) throws IOException;
    }

    protected UniformWriteHandle(Next next) {
        super(next);
    }

    @Override
    public final void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        write(flags, f -> next.pwrite(buffer, offset, f));
    }

    @Override
    public final void zero(long length, long offset, int flags) throws IOException {
        write(flags, f -> next.zero(length, offset, f));
    }

    @Override
    public final void trim(long length, long offset, int flags) throws IOException {
        write(flags, f -> next.trim(length, offset, f));
    }

    /** Handles one write whose client flags are {@code flags}; {@code call} sends it below. */
    protected abstract void write(int flags, WriteCall call) throws IOException;
}
