package io.nbd4j.client;

import io.nbd4j.protocol.tls.TlsChannel;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TLS over the plain stream of a connection, as the client side of {@code NBD_OPT_STARTTLS}: the
 * records go through the plain stream, which still owns the socket.
 *
 * <p>Threading: one reader and one writer at a time ({@link TlsChannel} allows them to overlap).
 */
final class TlsStream implements ByteStream {
    private final ByteStream plain;
    private final TlsChannel tls;

    private TlsStream(ByteStream plain, TlsChannel tls) {
        this.plain = plain;
        this.tls = tls;
    }

    /** Runs the client side of the handshake on {@code plain} (the server's ACK to STARTTLS already read). */
    static TlsStream start(ByteStream plain, SSLEngine engine) throws IOException {
        return new TlsStream(plain, TlsChannel.handshake(plain, engine));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return tls.read(dst);
    }

    @Override
    public void write(ByteBuffer... sources) throws IOException {
        tls.writeFully(sources);
    }

    /** Ends the TLS session properly ({@code close_notify}) before half-closing the socket. */
    @Override
    public void shutdownOutput() throws IOException {
        tls.trySendCloseNotify();
        plain.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }
}
