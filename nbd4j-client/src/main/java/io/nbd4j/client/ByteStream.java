package io.nbd4j.client;

import io.nbd4j.protocol.tls.Ciphertext;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream of one connection to a server: a socket, or TLS over one after
 * {@code NBD_OPT_STARTTLS}. The negotiation and the transmission code talk only to this, so the
 * encrypting stream can replace the plain one in the middle of the handshake.
 *
 * <p>Threading: one reading thread and one writing thread at a time; callers arrange that.
 */
interface ByteStream extends Closeable, Ciphertext {
    /** Reads whatever has arrived into {@code dst} (at least one byte if it has room), or -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes every remaining byte of {@code sources}, in order. */
    void write(ByteBuffer... sources) throws IOException;

    /** As {@link #read}: what a TLS session layered on this stream reads its records with. */
    @Override
    default int readSome(ByteBuffer dst) throws IOException {
        return read(dst);
    }

    @Override
    default void writeFully(ByteBuffer src) throws IOException {
        write(src);
    }

    /** Tells the server nothing more will be sent, leaving replies still readable. */
    void shutdownOutput() throws IOException;

    /** Closes the stream; a blocked read or write on another thread then fails. */
    @Override
    void close() throws IOException;
}
