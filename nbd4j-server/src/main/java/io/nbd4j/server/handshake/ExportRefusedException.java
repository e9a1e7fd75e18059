package io.nbd4j.server.handshake;

/** An export could not be opened for a client; the message is sent to the client with the error reply. */
final class ExportRefusedException extends Exception {
    ExportRefusedException(String message) {
        super(message);
    }
}
