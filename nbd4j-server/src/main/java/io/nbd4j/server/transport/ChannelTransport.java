package io.nbd4j.server.transport;

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
 */
public final class ChannelTransport implements Transport {
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private volatile long lastActivity = System.nanoTime();

    public ChannelTransport(SocketChannel socket) {
        this(socket, socket);
    }

    public ChannelTransport(ReadableByteChannel in, WritableByteChannel out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (readSome(buffer) < 0) {
                throw new EOFException("client closed the connection");
            }
        }
    }

    /** One read: whatever the channel has (at least one byte), or -1 at end of stream. */
    int readSome(ByteBuffer buffer) throws IOException {
        int n = in.read(buffer);
        if (n > 0) {
            lastActivity = System.nanoTime();
        }
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
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do: the peer is gone either way
        }
    }
}
