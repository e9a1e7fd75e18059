package io.nbd4j.server.transport;

import io.nbd4j.protocol.tls.TlsChannel;

import javax.net.ssl.SSLEngine;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * TLS over the socket of a {@link ChannelTransport}, driven by an {@link SSLEngine} in server mode:
 * what {@code NBD_OPT_STARTTLS} switches a connection to. Ciphertext goes through the plain transport,
 * so its activity clock, {@code shutdownInput} and {@code close} keep working underneath.
 *
 * <p><b>Threads.</b> One reader at a time (the connection's reader); writers hold the connection's
 * reply lock, and {@link TlsChannel} serializes its own wrapping besides.
 */
public final class TlsTransport implements Transport {
    /** How long closing waits to hand {@code close_notify} to a client that may have stopped reading. */
    private static final Duration CLOSE_NOTIFY_LIMIT = Duration.ofSeconds(2);

    private final ChannelTransport raw;
    private final TlsChannel tls;

    private TlsTransport(ChannelTransport raw, TlsChannel tls) {
        this.raw = raw;
        this.tls = tls;
    }

    /** Runs the server side of the TLS handshake and returns the transport once it completed. */
    static TlsTransport start(ChannelTransport raw, SSLEngine engine) throws IOException {
        return new TlsTransport(raw, TlsChannel.handshake(raw, engine));
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (tls.read(buffer) < 0) {
                throw new EOFException("client closed the TLS session");
            }
        }
    }

    @Override
    public void writeFully(ByteBuffer... buffers) throws IOException {
        tls.writeFully(buffers);
    }

    @Override
    public void startRequests() {
        raw.startRequests();
    }

    @Override
    public boolean isTls() {
        return true;
    }

    @Override
    public long lastActivityNanos() {
        return raw.lastActivityNanos();
    }

    @Override
    public void shutdownInput() {
        raw.shutdownInput();
    }

    /**
     * Sends {@code close_notify} when no writer is busy, then closes the socket. A client that stopped
     * reading could block that last write forever, so a timer closes the socket under it.
     */
    @Override
    public void close() {
        Thread guard = Thread.ofVirtual().name("nbd4j-tls-close").start(() -> {
            try {
                Thread.sleep(CLOSE_NOTIFY_LIMIT);
                raw.close();
            } catch (InterruptedException finishedInTime) {
                // close_notify was handed over; nothing to force
            }
        });
        try {
            tls.trySendCloseNotify();
        } finally {
            guard.interrupt();
        }
        raw.close();
    }
}
