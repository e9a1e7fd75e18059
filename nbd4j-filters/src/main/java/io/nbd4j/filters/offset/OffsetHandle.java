package io.nbd4j.filters.offset;

import io.nbd4j.filters.common.WindowHandle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;

import java.io.IOException;

/**
 * The offset filter for one connection: checks in {@code prepare} that the range lies inside the layer
 * below, as it is sized for this connection, then serves it as a {@link WindowHandle}.
 *
 * <p><b>Threads.</b> As {@link WindowHandle}: immutable once prepared.
 */
final class OffsetHandle extends WindowHandle {
    private final long offset;
    private final long range;

    OffsetHandle(Next next, long offset, long range) {
        super(next);
        this.offset = offset;
        this.range = range;
    }

    @Override
    public void prepare(boolean readOnly) throws IOException {
        long real = next.size();
        if (range >= 0 && offset > real - range) {
            throw new NbdException(NbdError.EINVAL, "offset: offset+range (" + offset + "+" + range
                    + ") is larger than the size of the layer below (" + real + ")");
        }
        if (offset > real) {
            throw new NbdException(NbdError.EINVAL, "offset: offset (" + offset
                    + ") is larger than the size of the layer below (" + real + ")");
        }
        window(offset, range >= 0 ? range : real - offset);
    }
}
