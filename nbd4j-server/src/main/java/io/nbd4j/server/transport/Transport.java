package io.nbd4j.server.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;

/**
 * The byte stream of one client connection. The handshake and transmission code talk to the client
 * only through this, so that after {@code NBD_OPT_STARTTLS} an encrypting transport can take the
 * place of the plain one.
 *
 * <p><b>Threads.</b> One thread reads (the connection's reader) while any number of threads may
 * write, provided writers hold the connection's reply lock: a transport need only support one
 * reader and one writer at a time.
 */
public interface Transport extends AutoCloseable {

    /**
     * Fills {@code buffer} from its position to its limit.
     *
     * @throws EOFException if the client closes the stream first
     */
    void readFully(ByteBuffer buffer) throws IOException;

    /**
     * Reads and drops {@code count} bytes, using {@code scratch} (any size) as space.
     */
    default void skip(long count, ByteBuffer scratch) throws IOException {
        long left = count;
        while (left > 0) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), left));
            readFully(scratch);
            left -= scratch.position();
        }
    }

    /**
     * Bytes already received and buffered, which the next reads return without waiting for the
     * client: at least this many can be read without blocking. Zero when the transport does not know
     * (the TLS transport: its replies are then never held back, see {@code Transmission}).
     */
    default int bufferedInput() {
        return 0;
    }

    /** Writes every byte of every buffer, in order. The buffers belong to the caller. */
    void writeFully(ByteBuffer... buffers) throws IOException;

    /**
     * Says the handshake is over and the client sent its first request: a transport may now spend
     * more memory on reading ahead. Called by the reader; a connection that never gets here (idle
     * after the handshake) should cost as little as possible.
     */
    default void startRequests() {
        // nothing to change for transports that do not read ahead
    }

    /** Whether the data on this transport is encrypted. */
    default boolean isTls() {
        return false;
    }

    /**
     * Runs the TLS handshake as the server on this stream (the option reply ACK to
     * {@code NBD_OPT_STARTTLS} already sent) and returns the encrypting transport to use from now on.
     *
     * @throws javax.net.ssl.SSLException when the TLS handshake fails; the connection must then close
     */
    default Transport startTls(SSLEngine engine) throws IOException {
        throw new IOException("this transport cannot carry TLS");
    }

    /** {@link System#nanoTime} of the last byte read or written, for the idle timeout. */
    default long lastActivityNanos() {
        return System.nanoTime();
    }

    /**
     * Makes the reader see end of stream soon, without disturbing replies still being written: used
     * when the server stops.
     */
    void shutdownInput();

    /** Closes the stream; never throws. */
    @Override
    void close();
}
