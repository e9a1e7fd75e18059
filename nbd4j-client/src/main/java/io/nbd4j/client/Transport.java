package io.nbd4j.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Opens blocking socket channels to an {@link NbdAddress} and moves whole buffers over them. A channel
 * allows one reading thread and one writing thread at a time; callers arrange that.
 */
final class Transport {
    private Transport() {}

    static SocketChannel open(NbdAddress address) throws IOException {
        return switch (address) {
            case NbdAddress.Unix unix -> {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(unix.socket()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                yield channel;
            }
            case NbdAddress.Tcp tcp -> {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(tcp.host(), tcp.port()));
                // Requests are small and latency-bound; the protocol asks both sides to disable Nagle.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                yield channel;
            }
        };
    }

    /** Fills {@code dst} to its limit. */
    static void readFully(SocketChannel channel, ByteBuffer dst) throws IOException {
        if (!readFullyOrEof(channel, dst)) {
            throw new EOFException("server closed the connection");
        }
    }

    /**
     * Fills {@code dst} to its limit, or returns false if the peer closed the connection before sending
     * a single byte of it (a clean end between messages).
     */
    static boolean readFullyOrEof(SocketChannel channel, ByteBuffer dst) throws IOException {
        boolean any = false;
        while (dst.hasRemaining()) {
            if (channel.read(dst) < 0) {
                if (!any) {
                    return false;
                }
                throw new EOFException("server closed the connection in the middle of a message");
            }
            any = true;
        }
        return true;
    }

    static ByteBuffer readBytes(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(channel, buffer);
        return buffer.flip();
    }

    /** Writes every remaining byte of {@code sources}, in order. */
    static void writeFully(SocketChannel channel, ByteBuffer... sources) throws IOException {
        long left = 0;
        for (ByteBuffer source : sources) {
            left += source.remaining();
        }
        while (left > 0) {
            left -= channel.write(sources);
        }
    }
}
