package io.nbd4j.server.handshake;

/**
 * Told when the server itself works during negotiation, opening and preparing an export's layers,
 * so that this time is not charged to the client: a handshake timeout protects against slow
 * clients, and a layer may need long to prepare (decompressing a whole gzip image, deriving a LUKS
 * key) while the client only waits.
 *
 * <p><b>Threads.</b> Called on the connection's thread, {@link #serverBusy} and {@link #serverDone}
 * in pairs.
 */
public interface OpeningClock {
    /** The server starts opening an export. */
    void serverBusy();

    /** The server finished opening it (whether it succeeded or not). */
    void serverDone();
}
