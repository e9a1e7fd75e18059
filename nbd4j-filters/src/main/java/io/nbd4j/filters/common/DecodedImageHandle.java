package io.nbd4j.filters.common;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;

/**
 * The handle of a filter that serves an image decoded from the layer below (decompressed, for
 * instance): read-only whatever the layer below can do, with none of its block size constraints
 * (they describe the encoded bytes); every connection decodes the same bytes from a layer that is
 * only read, so multi-conn holds; a cache request reads the range, so the decoder's work is done
 * before the client needs it; flush passes through. The subclass reads and reports its size.
 *
 * <p><b>Threads.</b> As the subclass says.
 */
public abstract class DecodedImageHandle extends FilterHandle {
    protected DecodedImageHandle(Next next) {
        super(next);
    }

    @Override public final BlockSize blockSize() { return null; }
    @Override public final boolean canWrite() { return false; }
    @Override public final boolean canTrim() { return false; }
    @Override public final boolean canZero() { return false; }
    @Override public final boolean canFastZero() { return false; }
    @Override public final FuaMode canFua() { return FuaMode.NONE; }
    @Override public final CacheMode canCache() { return CacheMode.EMULATE; }
    @Override public final boolean canMultiConn() { return true; }
    @Override public final boolean isRotational() { return false; }

    @Override
    public final void pwrite(ByteBuffer buffer, long offset, int flags) throws NbdException {
        throw new NbdException(NbdError.EPERM, "the decoded image is read-only");
    }

    @Override
    public abstract long size();

    @Override
    public abstract boolean canExtents();
}
