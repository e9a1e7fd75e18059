package io.nbd4j.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link ClientConnection} and {@link ServerControl} with no server behind them, for opening layers
 * outside a server: unit tests and tools. Asking for a disconnect or a shutdown only records it (a
 * test can check it was asked) and wakes sleepers; the connection's {@link #server()} is itself.
 *
 * <p><b>Threads.</b> Thread-safe.
 */
public final class DetachedConnection implements ClientConnection, ServerControl {
    private final ClientInfo client;
    private final Instant startedAt = Instant.now();
    private final EndSignal ending = new EndSignal();
    private final EndSignal stopping = new EndSignal();
    private volatile boolean disconnected;
    private volatile boolean forced;
    private volatile boolean shutdown;

    public DetachedConnection(ClientInfo client) {
        this.client = client;
    }

    @Override public ClientInfo client() { return client; }
    @Override public ServerControl server() { return this; }
    @Override public Instant startedAt() { return startedAt; }
    @Override public boolean isShuttingDown() { return shutdown; }
    @Override public boolean isEnding() { return ending.hasEnded(); }

    @Override
    public void disconnect(boolean force) {
        if (force) {
            forced = true;
        }
        disconnected = true;
        ending.end();
    }

    @Override
    public void shutdown() {
        shutdown = true;
        stopping.end();
        ending.end();
    }

    @Override
    public void sleep(Duration duration) throws NbdException {
        ending.sleep(duration, "connection " + client.connectionId());
    }

    /** Cut short by {@link #shutdown()} only, not by a disconnect. */
    @Override
    public void sleepUnlessShutdown(Duration duration) throws NbdException {
        stopping.sleep(duration, "the server");
    }

    /** Whether a layer asked for {@link #disconnect}. */
    public boolean disconnectRequested() {
        return disconnected;
    }

    /** Whether a layer asked for a forced {@link #disconnect}. */
    public boolean disconnectForced() {
        return forced;
    }
}
