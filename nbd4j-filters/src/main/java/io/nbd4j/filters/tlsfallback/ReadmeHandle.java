package io.nbd4j.filters.tlsfallback;

import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Handle;

import java.nio.ByteBuffer;

/**
 * What a plaintext client is served instead of the plugin: a read-only disk of {@link #SIZE} bytes
 * holding the message, NUL-padded. No layer below is opened for it, so nothing a plaintext client does
 * reaches them. Every capability that could tell something about the real export is off.
 *
 * <p><b>Threads.</b> Immutable; any number of readers.
 */
final class ReadmeHandle implements Handle {
    static final int SIZE = 512;

    private final byte[] content;

    /** {@code message} already cut or padded to {@link #SIZE} bytes. */
    ReadmeHandle(byte[] content) {
        this.content = content;
    }

    @Override public long size() { return SIZE; }
    @Override public BlockSize blockSize() { return null; }
    @Override public boolean canWrite() { return false; }
    @Override public boolean canFlush() { return false; }
    @Override public boolean isRotational() { return false; }
    @Override public boolean canExtents() { return false; }
    @Override public boolean canFastZero() { return false; }
    @Override public boolean canMultiConn() { return false; }
    @Override public CacheMode canCache() { return CacheMode.NONE; }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        buffer.put(content, (int) offset, buffer.remaining());
    }
}
