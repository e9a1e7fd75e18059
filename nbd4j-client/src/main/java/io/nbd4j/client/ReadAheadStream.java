package io.nbd4j.client;

import io.nbd4j.protocol.ReadAheadPolicy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reply reader's view of the stream: small reads (a reply header, a chunk's offset) are served
 * from a buffer that one read fills with whatever has arrived, so a header, its chunk offset and the
 * start of the data cost one system call instead of three; a read at least as large as the buffer
 * goes straight into its target, so bulk data is not copied twice, and right after it only the next
 * header is read ahead ({@link ReadAheadPolicy}).
 *
 * <p>Threading: the reader thread only. Writes, shutdown and close pass through to the stream.
 */
final class ReadAheadStream implements ByteStream {
    private static final int BUFFER_BYTES = 32 << 10;
    static final int AFTER_BULK_BYTES = ReadAheadPolicy.AFTER_BULK_BYTES;

    private final ByteStream stream;
    /** Bytes read ahead, between position and limit. */
    private final ByteBuffer inbox = ByteBuffer.allocateDirect(BUFFER_BYTES).limit(0);
    private final ReadAheadPolicy policy = new ReadAheadPolicy(BUFFER_BYTES);

    ReadAheadStream(ByteStream stream) {
        this.stream = stream;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!inbox.hasRemaining()) {
            if (policy.readsDirectly(dst.remaining())) {
                return stream.read(dst);
            }
            inbox.clear().limit(policy.fillLimit(inbox.capacity()));
            int n = stream.read(inbox);
            inbox.flip();
            if (n < 0) {
                return n;
            }
        }
        int n = Math.min(inbox.remaining(), dst.remaining());
        dst.put(dst.position(), inbox, inbox.position(), n);
        dst.position(dst.position() + n);
        inbox.position(inbox.position() + n);
        return n;
    }

    @Override
    public void write(ByteBuffer... sources) throws IOException {
        stream.write(sources);
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
