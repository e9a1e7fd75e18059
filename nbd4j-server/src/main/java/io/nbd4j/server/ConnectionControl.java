package io.nbd4j.server;

import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.EndSignal;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ServerControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What the layers of one connection may do to it: disconnect it (softly or at once) and sleep until it
 * ends. The connection's reader checks {@link #isEnding()} before it runs each request, and the
 * server raises the end when it closes.
 *
 * <p><b>Threads.</b> Thread-safe: request threads, the connection's reader and the thread closing the
 * server all call it.
 */
final class ConnectionControl implements ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionControl.class);

    private final ClientInfo client;
    private final ServerControl server;
    /**
     * The plain transport (closing or shutting it down also ends an encrypting one built on it), until
     * the connection is over: a layer may keep its open request, and with it this object, for long.
     */
    private volatile Transport transport;
    private final EndSignal ending = new EndSignal();

    ConnectionControl(ClientInfo client, ServerControl server, Transport transport) {
        this.client = client;
        this.server = server;
        this.transport = transport;
    }

    @Override public ClientInfo client() { return client; }
    @Override public ServerControl server() { return server; }
    @Override public boolean isEnding() { return ending.hasEnded(); }

    @Override
    public void disconnect(boolean force) {
        LOG.info("conn {}: a layer asked to disconnect the client{}", client.connectionId(), force ? " at once" : "");
        ending.end();
        Transport t = transport;
        if (t == null) {
            return;
        } else if (force) {
            t.close();
        } else {
            t.shutdownInput();
        }
    }

    @Override
    public void sleep(Duration duration) throws NbdException {
        ending.sleep(duration, "connection " + client.connectionId());
    }

    /** Marks the connection as ending without touching its socket: the reader stopped, or the server is closing. */
    void end() {
        ending.end();
    }

    /** Marks the connection as over and lets go of its transport. */
    void release() {
        ending.end();
        transport = null;
    }
}
