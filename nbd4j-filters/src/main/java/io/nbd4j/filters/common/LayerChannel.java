package io.nbd4j.filters.common;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The layer below as a read-only {@link SeekableByteChannel} (and, through
 * {@link java.nio.channels.Channels#newInputStream}, a stream) whose bytes past {@code limit} cannot
 * be read: a read there finds the end of the data, so an archive reader stops listing entries at the
 * limit, while {@link #size()} stays the layer's, so an entry that begins before the limit and ends
 * after it is still accepted. Threads: as {@link LayerReader}.
 */
public final class LayerChannel implements SeekableByteChannel {
    private final LayerReader reader;
    private final long size;
    private final long end;
    private boolean open = true;

    public LayerChannel(LayerReader reader, long limit) {
        this.reader = reader;
        this.size = reader.size();
        this.end = Math.min(size, limit);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long left = end - reader.position();
        if (left <= 0) {
            return dst.hasRemaining() ? -1 : 0;
        }
        if (dst.remaining() <= left) {
            return reader.read(dst);
        }
        ByteBuffer part = dst.slice(dst.position(), (int) left);
        int n = reader.read(part);
        dst.position(dst.position() + Math.max(n, 0));
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return reader.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        reader.seek(newPosition);
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
