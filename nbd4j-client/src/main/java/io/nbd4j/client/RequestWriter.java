package io.nbd4j.client;

import io.nbd4j.protocol.ClientRequestEncoder;
import io.nbd4j.protocol.Command;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes requests to the connection, each header and its payload as one unbroken run of bytes.
 *
 * <p>Threading: any thread; a lock serialises writers for the duration of one request, so a large
 * write payload holds back other senders only while it is being copied into the socket.
 */
final class RequestWriter {
    private final ByteStream stream;
    private final boolean extended;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final ByteBuffer header = ByteBuffer.allocate(ClientRequestEncoder.EXTENDED_HEADER_SIZE);

    RequestWriter(ByteStream stream, boolean extended) {
        this.stream = stream;
        this.extended = extended;
    }

    /**
     * Sends one request. {@code payload} (may be null) is written from its position to its limit and
     * its position is advanced; it is not retained.
     */
    void send(int flags, int type, long cookie, long offset, long length, ByteBuffer payload) throws IOException {
        lock.lock();
        try {
            header.clear();
            ClientRequestEncoder.encode(header, extended, flags, type, cookie, offset, length);
            header.flip();
            if (payload == null) {
                stream.write(header);
            } else {
                stream.write(header, payload);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code NBD_CMD_DISC} unless another writer keeps the lock beyond {@code timeout} (a server that
     * stopped reading); returns whether it was sent.
     */
    boolean trySendDisconnect(long cookie, Duration timeout) throws IOException, InterruptedException {
        if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            header.clear();
            ClientRequestEncoder.encode(header, extended, 0, Command.DISC, cookie, 0, 0);
            header.flip();
            stream.write(header);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
