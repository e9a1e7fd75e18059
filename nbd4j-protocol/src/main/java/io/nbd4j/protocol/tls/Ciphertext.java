package io.nbd4j.protocol.tls;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The plain byte stream a {@link TlsChannel} carries its records over (a socket, or a pipe pair).
 * One thread reads and one writes at a time; the TLS channel arranges that.
 */
public interface Ciphertext {
    /** Reads whatever has arrived (at least one byte, blocking until then), or returns -1 at end of stream. */
    int readSome(ByteBuffer dst) throws IOException;

    /** Writes every remaining byte of {@code src}. */
    void writeFully(ByteBuffer src) throws IOException;
}
