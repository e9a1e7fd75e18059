package io.nbd4j.filters.common;

import io.nbd4j.spi.Handle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the layer below a filter like a file with a position, for filters that hand the layer's bytes
 * to a library that wants a stream or a channel (a decompressor, an archive reader): each read is one
 * {@code pread} of the layer below, cut short at the layer's end, so the library never asks for a
 * range the layer would refuse. Adapters to the library's own types wrap it.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread reads at a time, as with a stream. The layer below
 * may be called from that thread only while the filter's own call is running.
 */
public final class LayerReader {
    private final Handle below;
    private final long size;
    private long position;

    public LayerReader(Handle below) throws IOException {
        this.below = below;
        this.size = below.size();
    }

    /** The layer's size in bytes. */
    public long size() {
        return size;
    }

    public long position() {
        return position;
    }

    /** Moves the position; past the end is allowed, and reads there find nothing. */
    public void seek(long to) {
        if (to < 0) {
            throw new IllegalArgumentException("negative position " + to);
        }
        position = to;
    }

    /** Reads one byte (0 to 255), or returns -1 at the end. */
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    /** Reads up to {@code length} bytes into {@code into} at {@code offset}; returns -1 at the end. */
    public int read(byte[] into, int offset, int length) throws IOException {
        return read(ByteBuffer.wrap(into, offset, length));
    }

    /** Reads up to the buffer's remaining bytes, advancing its position; returns -1 at the end. */
    public int read(ByteBuffer into) throws IOException {
        if (!into.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(into.remaining(), size - position);
        ByteBuffer part = into.slice(into.position(), n);
        below.pread(part, position, 0);
        into.position(into.position() + n);
        position += n;
        return n;
    }
}
