package io.nbd4j.server.transport;

import io.nbd4j.protocol.ReadAheadPolicy;
import io.nbd4j.protocol.tls.Ciphertext;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import javax.net.ssl.SSLEngine;

/**
 * A plain transport over blocking channels: a socket (TCP or Unix), or separate input and output
 * channels such as a process's stdin and stdout. Gathering writes go out in one system call when
 * the output channel supports them, so a reply header and its payload need no copy into one buffer.
 * It notes the time of the last byte moved either way, for the idle timeout.
 *
 * <p>Small reads are served from an input buffer that one system call fills with whatever has
 * arrived, so a request header and its 4 KiB payload, or several pipelined requests, cost one read
 * instead of one per field; a read at least as large as the read-ahead buffer goes straight into its
 * target, and right after it only the next request's header is read ahead ({@link ReadAheadPolicy}).
 * Reading ahead is safe at STARTTLS: a client sends nothing after that option until the server's
 * reply, so the buffer is empty when the TLS layer takes over.
 *
 * <p>The input buffer comes from a {@link BufferSource} at the first small read: a small one
 * ({@link #WAITING_BUFFER_BYTES}) for the handshake, swapped for the large read-ahead buffer
 * ({@link #INPUT_BUFFER_BYTES}) at the first fill after {@link #startRequests}. So a client that sits
 * idle after the handshake costs the small buffer only. (Starting with the small buffer in the
 * transmission phase too, and taking the large one only once a fill filled the small one, was
 * measured: with fio's 4 KiB random writes at queue depth 16 the reader then kept catching up with
 * the client one request at a time, 2.3 reads per request instead of 1.0, about 10% fewer IOPS.) The
 * buffer goes back to the source when the thread that took it closes the transport (the connection's
 * own end), so that connections coming and going reuse a few buffers. A close from another thread (a
 * forced disconnect) only closes the channels: the reader may still be filling the buffer, which then
 * goes back when the reader closes too, or to the garbage collector.
 *
 * <p><b>Threads.</b> One reader at a time and one writer at a time, which may be different threads.
 */
public final class ChannelTransport implements Transport, Ciphertext {
    /** The read-ahead of a streaming connection: a request header with its 4 KiB payload several times over. */
    static final int INPUT_BUFFER_BYTES = 32 << 10;
    /** The input buffer of the handshake: its options and replies are small. */
    static final int WAITING_BUFFER_BYTES = 4 << 10;
    static final int AFTER_BULK_BYTES = ReadAheadPolicy.AFTER_BULK_BYTES;

    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final BufferSource buffers;
    /** Bytes read ahead, between position and limit; taken from {@link #buffers} on the first small read. */
    private ByteBuffer inbox;
    /** The thread that took {@link #inbox}: only it may give the buffer back. */
    private Thread inboxOwner;
    /** Set by the reader at the first request: from the next fill on, the large buffer is used. */
    private boolean requests;
    /** Reader only. */
    private final ReadAheadPolicy policy = new ReadAheadPolicy(INPUT_BUFFER_BYTES);
    private volatile long lastActivity = System.nanoTime();

    public ChannelTransport(SocketChannel socket, BufferSource buffers) {
        this(socket, socket, buffers);
    }

    public ChannelTransport(ReadableByteChannel in, WritableByteChannel out, BufferSource buffers) {
        this.in = in;
        this.out = out;
        this.buffers = buffers;
    }

    /** A transport whose read-ahead buffer is its own, freed by the garbage collector. */
    public ChannelTransport(ReadableByteChannel in, WritableByteChannel out) {
        this(in, out, BufferSource.UNPOOLED);
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (readSome(buffer) < 0) {
                throw new EOFException("client closed the connection");
            }
        }
    }

    /** One read: whatever has arrived (at least one byte), or -1 at end of stream. */
    @Override
    public int readSome(ByteBuffer buffer) throws IOException {
        if (inbox != null && inbox.hasRemaining()) {
            return drainInbox(buffer);
        }
        if (policy.readsDirectly(buffer.remaining())) {
            return readFromChannel(buffer);
        }
        if (inbox == null) {
            inbox = buffers.acquire(requests ? INPUT_BUFFER_BYTES : WAITING_BUFFER_BYTES);
            inboxOwner = Thread.currentThread();
        } else if (requests && inbox.capacity() < INPUT_BUFFER_BYTES) {
            ByteBuffer small = inbox;
            inbox = buffers.acquire(INPUT_BUFFER_BYTES);
            buffers.release(small);
        }
        inbox.clear().limit(policy.fillLimit(inbox.capacity()));
        int n = readFromChannel(inbox);
        inbox.flip();
        return n < 0 ? n : drainInbox(buffer);
    }

    @Override
    public int bufferedInput() {
        return inbox == null ? 0 : inbox.remaining();
    }

    /** Called by the reader once the first request arrived: reads ahead 32 KiB at a time from now on. */
    @Override
    public void startRequests() {
        requests = true;
    }

    private int readFromChannel(ByteBuffer buffer) throws IOException {
        int n = in.read(buffer);
        if (n > 0) {
            lastActivity = System.nanoTime();
        }
        return n;
    }

    private int drainInbox(ByteBuffer buffer) {
        int n = Math.min(inbox.remaining(), buffer.remaining());
        buffer.put(buffer.position(), inbox, inbox.position(), n);
        buffer.position(buffer.position() + n);
        inbox.position(inbox.position() + n);
        return n;
    }

    @Override
    public void writeFully(ByteBuffer... buffers) throws IOException {
        if (out instanceof GatheringByteChannel gathering && buffers.length > 1) {
            long left = 0;
            for (ByteBuffer b : buffers) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= gathering.write(buffers);
                lastActivity = System.nanoTime();
            }
            return;
        }
        for (ByteBuffer b : buffers) {
            while (b.hasRemaining()) {
                out.write(b);
                lastActivity = System.nanoTime();
            }
        }
    }

    /** One buffer, as the TLS layer above this transport sends its records. */
    @Override
    public void writeFully(ByteBuffer buffer) throws IOException {
        writeFully(new ByteBuffer[] {buffer});
    }

    @Override
    public long lastActivityNanos() {
        return lastActivity;
    }

    @Override
    public Transport startTls(SSLEngine engine) throws IOException {
        return TlsTransport.start(this, engine);
    }

    @Override
    public void shutdownInput() {
        try {
            if (in instanceof SocketChannel socket) {
                socket.shutdownInput();
            } else {
                in.close();
            }
        } catch (IOException ignored) {
            // the connection is already going away, which is what was asked for
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
        if (out != in) {
            closeQuietly(out);
        }
        if (inbox != null && Thread.currentThread() == inboxOwner) {
            ByteBuffer done = inbox;
            inbox = null;
            buffers.release(done);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do: the peer is gone either way
        }
    }
}
