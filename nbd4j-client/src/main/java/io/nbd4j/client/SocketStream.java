package io.nbd4j.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A plain {@link ByteStream} over a blocking socket channel (TCP or Unix); a gathering write sends a
 * request header and its payload in one system call.
 *
 * <p>Threading: one reader and one writer at a time, as the channel allows.
 */
final class SocketStream implements ByteStream {
    private final SocketChannel channel;

    SocketStream(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public void write(ByteBuffer... sources) throws IOException {
        long left = 0;
        for (ByteBuffer source : sources) {
            left += source.remaining();
        }
        while (left > 0) {
            left -= channel.write(sources);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
