package io.nbd4j.filters.testkit;

import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ServerControl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link ClientConnection} (and its {@link ServerControl}) that never waits: every sleep is recorded
 * and returns at once, unless the connection has ended ({@link #end()}) or the server was asked to
 * shut down, when it fails with ESHUTDOWN as the real ones do. For testing how long a filter means to
 * wait without waiting. Pass it in an {@code OpenRequest}.
 *
 * <p><b>Threads.</b> Thread-safe.
 */
public final class RecordingConnection implements ClientConnection, ServerControl {
    private final ClientInfo client;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<Duration> serverSleeps = new CopyOnWriteArrayList<>();
    private volatile Consumer<Duration> onSleep = d -> {};
    private volatile boolean ended;
    private volatile boolean shutdown;

    public RecordingConnection(ClientInfo client) {
        this.client = client;
    }

    public RecordingConnection() {
        this(ClientInfo.withoutAddress(1));
    }

    @Override public ClientInfo client() { return client; }
    @Override public ServerControl server() { return this; }
    @Override public boolean isEnding() { return ended || shutdown; }
    @Override public Instant startedAt() { return Instant.EPOCH; }
    @Override public boolean isShuttingDown() { return shutdown; }

    @Override
    public void disconnect(boolean force) {
        ended = true;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    /** Also tells {@code listener} of each connection sleep, e.g. to move a test's clock on by it. */
    public RecordingConnection onSleep(Consumer<Duration> listener) {
        this.onSleep = listener;
        return this;
    }

    /** Makes the connection end, as a client's disconnect does. */
    public void end() {
        ended = true;
    }

    @Override
    public void sleep(Duration duration) throws NbdException {
        if (isEnding()) {
            throw new NbdException(NbdError.ESHUTDOWN, "connection is ending");
        }
        sleeps.add(duration);
        onSleep.accept(duration);
    }

    @Override
    public void sleepUnlessShutdown(Duration duration) throws NbdException {
        if (shutdown) {
            throw new NbdException(NbdError.ESHUTDOWN, "the server is shutting down");
        }
        serverSleeps.add(duration);
    }

    /** The connection's sleeps so far, in order. */
    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** The sleeps asked of the server ({@link ServerControl#sleepUnlessShutdown}). */
    public List<Duration> serverSleeps() {
        return List.copyOf(serverSleeps);
    }

    /** All the connection's sleeps added up. */
    public Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
