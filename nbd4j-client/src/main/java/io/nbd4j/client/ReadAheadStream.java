package io.nbd4j.client;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reply reader's view of the stream: small reads (a reply header, a chunk's offset) are served
 * from a buffer that one read fills with whatever has arrived, so a header, its chunk offset and the
 * start of the data cost one system call instead of three; a read at least as large as the buffer
 * goes straight into its target, so bulk data is not copied twice. Right after such a read the next
 * message is probably large too, so only {@link #AFTER_BULK_BYTES} are read ahead for its header: the
 * full buffer would have copied its first 32 KiB of data a second time (a tenth of a 256 KiB read,
 * 3% of the proxy's CPU time in a copy of large reads).
 *
 * <p>Threading: the reader thread only. Writes, shutdown and close pass through to the stream.
 */
final class ReadAheadStream implements ByteStream {
    private static final int BUFFER_BYTES = 32 << 10;
    /** An extended reply header, a data chunk's offset and some room: what is read ahead after bulk data. */
    static final int AFTER_BULK_BYTES = 64;

    private final ByteStream stream;
    /** Bytes read ahead, between position and limit. */
    private final ByteBuffer inbox = ByteBuffer.allocateDirect(BUFFER_BYTES).limit(0);
    /** Whether the last read from the stream went straight into a large target. */
    private boolean afterBulk;

    ReadAheadStream(ByteStream stream) {
        this.stream = stream;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!inbox.hasRemaining()) {
            // The rest of bulk data goes straight to its target too, however little is left of it.
            if (dst.remaining() >= BUFFER_BYTES || (afterBulk && dst.remaining() > AFTER_BULK_BYTES)) {
                afterBulk = true;
                return stream.read(dst);
            }
            inbox.clear();
            if (afterBulk) {
                inbox.limit(AFTER_BULK_BYTES);
                afterBulk = false;
            }
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
