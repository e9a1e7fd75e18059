package io.nbd4j.spi;

import java.time.Duration;

/**
 * One client connection as a layer sees it, from {@link OpenRequest#connection()}: who the client is,
 * the server, and what a layer may do to the connection (nbdkit's {@code nbdkit_disconnect},
 * {@code nbdkit_nanosleep}). Every layer of the connection, and every {@code NBD_OPT_INFO} probe
 * made on it, gets the same object.
 *
 * <p><b>Threads.</b> Thread-safe: any thread may call it, including one running a request of this
 * connection. It stays valid after the connection ended (calls then do nothing, or report the end).
 */
public interface ClientConnection {
    /** Who the client is. */
    ClientInfo client();

    /** The server this connection belongs to. */
    ServerControl server();

    /**
     * Ends this connection; other connections are not touched and the client may connect again.
     * With {@code force} the socket closes at once: requests running on other threads get no reply,
     * and the current request's reply is lost too. Without it the server stops reading requests
     * (requests already read get {@code ESHUTDOWN}), lets the running ones finish and reply, then
     * closes. Either way the layers are then finished and closed, as at any end of a connection.
     * Returns at once; the calling request still completes (its reply is lost if forced). Idempotent;
     * a soft call after a forced one changes nothing.
     */
    void disconnect(boolean force);

    /**
     * Whether this connection is ending: a layer asked for {@link #disconnect}, the client sent
     * {@code NBD_CMD_DISC} or went away, or the server is shutting down. Work that can be abandoned
     * (a retry loop, a delay) should stop once this is true.
     */
    boolean isEnding();

    /**
     * Sleeps for {@code duration}, or less if the connection starts {@link #isEnding ending} meanwhile, so
     * that a delay never holds up a disconnect or a shutdown. Use it instead of {@link Thread#sleep}
     * in a layer.
     *
     * @throws NbdException with {@link NbdError#ESHUTDOWN} if the connection is ending (already, or
     *                      before the time is up) or the thread is interrupted (the interrupt status
     *                      is kept)
     */
    void sleep(Duration duration) throws NbdException;
}
