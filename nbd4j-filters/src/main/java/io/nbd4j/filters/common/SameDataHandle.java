package io.nbd4j.filters.common;

import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Next;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link FilterHandle} for a filter that never changes what a read returns (it changes capabilities,
 * names, checks or block status): it also passes {@link #readView} down, so the server may send a read
 * straight from the plugin's memory, as it does with no filter at all. {@code FilterHandle} cannot do
 * this by default, since a filter that rewrites data in {@code pread} would be bypassed.
 *
 * <p><b>Threads.</b> Adds no state.
 */
public class SameDataHandle extends FilterHandle {
    public SameDataHandle(Next next) {
        super(next);
    }

    @Override
    public ByteBuffer readView(long offset, int length) throws IOException {
        return next.readView(offset, length);
    }
}
