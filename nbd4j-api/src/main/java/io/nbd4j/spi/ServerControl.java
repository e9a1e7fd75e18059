package io.nbd4j.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * What a layer may ask of the whole server (nbdkit's {@code nbdkit_shutdown}), and when it started. A
 * layer receives it in {@link Layer#afterStart}; during a connection it is also
 * {@code request.connection().server()}.
 *
 * <p><b>Threads.</b> Thread-safe: any thread may call it at any time, including a request's own thread.
 */
public interface ServerControl {
    /** When the server started listening (for an uptime). */
    Instant startedAt();

    /**
     * Asks the server to stop, and returns at once: it stops accepting clients, stops reading new
     * requests (requests already read are answered, the ones after get {@code ESHUTDOWN}), lets the
     * running ones finish and reply, finishes and closes every connection's layers, and then the
     * program that started the server unloads the layers and exits. Layers may be called for the
     * running requests after this returns. Idempotent.
     */
    void shutdown();

    /** Whether {@link #shutdown()} was asked for, by a layer or by the program that runs the server. */
    boolean isShuttingDown();

    /**
     * Sleeps for {@code duration}, or less if the server starts {@link #isShuttingDown shutting down}
     * meanwhile: for a delay that must outlast the end of its own connection (the delay filter's
     * {@code delay-close} holds a client's socket open after it asked to disconnect) yet never hold up
     * a shutdown. A delay inside a request uses {@link ClientConnection#sleep} instead, which the end
     * of the connection also cuts short.
     *
     * @throws NbdException with {@link NbdError#ESHUTDOWN} if the server is shutting down (already, or
     *                      before the time is up) or the thread is interrupted (the interrupt status
     *                      is kept)
     */
    void sleepUnlessShutdown(Duration duration) throws NbdException;

    /**
     * Where layers publish their own metrics (see {@link Metrics}): the server's registry when it runs
     * with metrics ({@code nbd4j --metrics}), else {@link Metrics#NONE}. The same object for the whole
     * run; register families in {@link Layer#afterStart}.
     */
    default Metrics metrics() {
        return Metrics.NONE;
    }
}
