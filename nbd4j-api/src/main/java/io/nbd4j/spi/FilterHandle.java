package io.nbd4j.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A filter's handle that passes every call to the layer below. Extend it and override only what the
 * filter changes. {@link #close()} does not close the layer below: the server closes each layer itself.
 */
public class FilterHandle implements Handle {
    protected final Next next;

    public FilterHandle(Next next) {
        this.next = next;
    }

    public Next next() {
        return next;
    }

    @Override public void prepare(boolean readOnly) throws IOException {}
    @Override public void finish() throws IOException {}
    @Override public void close() {}

    @Override public long size() throws IOException { return next.size(); }
    @Override public String description() throws IOException { return next.description(); }
    @Override public BlockSize blockSize() throws IOException { return next.blockSize(); }
    @Override public boolean blockSizeEnforced() throws IOException { return next.blockSizeEnforced(); }

    @Override public boolean canWrite() throws IOException { return next.canWrite(); }
    @Override public boolean canFlush() throws IOException { return next.canFlush(); }
    @Override public boolean isRotational() throws IOException { return next.isRotational(); }
    @Override public boolean canTrim() throws IOException { return next.canTrim(); }
    @Override public boolean canZero() throws IOException { return next.canZero(); }
    @Override public boolean canFastZero() throws IOException { return next.canFastZero(); }

    /**
     * The layer below's answer, adjusted by this filter's {@link #canZero()}: {@link ZeroMode#NATIVE} when
     * it says true (the filter's own zero, or the layer below's native one); otherwise
     * {@link ZeroMode#NONE} if the layer below hides write-zeroes, else {@link ZeroMode#EMULATE}. So a
     * filter that changes nothing passes the answer through, including {@code NONE}; one that hides
     * or emulates write-zeroes itself overrides this method.
     */
    @Override
    public ZeroMode zeroMode() throws IOException {
        if (canZero()) {
            return ZeroMode.NATIVE;
        }
        return next.zeroMode() == ZeroMode.NONE ? ZeroMode.NONE : ZeroMode.EMULATE;
    }
    @Override public FuaMode canFua() throws IOException { return next.canFua(); }
    @Override public CacheMode canCache() throws IOException { return next.canCache(); }
    @Override public boolean canExtents() throws IOException { return next.canExtents(); }
    @Override public boolean canMultiConn() throws IOException { return next.canMultiConn(); }

    @Override public void pread(ByteBuffer buffer, long offset, int flags) throws IOException { next.pread(buffer, offset, flags); }
    @Override public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException { next.pwrite(buffer, offset, flags); }
    @Override public void flush(int flags) throws IOException { next.flush(flags); }
    @Override public void trim(long length, long offset, int flags) throws IOException { next.trim(length, offset, flags); }
    @Override public void zero(long length, long offset, int flags) throws IOException { next.zero(length, offset, flags); }
    @Override public void extents(long length, long offset, int flags, Extents extents) throws IOException { next.extents(length, offset, flags, extents); }
    @Override public void cache(long length, long offset, int flags) throws IOException { next.cache(length, offset, flags); }
}
