package io.nbd4j.plugins.info;

import io.nbd4j.plugins.common.InProcessDiskHandle;

import java.nio.ByteBuffer;

/**
 * A read-only disk holding bytes fixed when the connection opened: the export name, or the client's
 * address. Immutable; any number of threads.
 */
final class FixedBytesHandle extends InProcessDiskHandle {
    private final byte[] bytes;
    private final boolean multiConn;

    FixedBytesHandle(byte[] bytes, boolean multiConn) {
        super(bytes.length);
        this.bytes = bytes;
        this.multiConn = multiConn;
    }

    @Override
    public boolean canMultiConn() {
        return multiConn;
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        buffer.put(buffer.position(), bytes, (int) offset, buffer.remaining());
    }
}
