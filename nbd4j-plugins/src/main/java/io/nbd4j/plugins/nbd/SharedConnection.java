package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The one upstream connection that {@code shared=true} gives every client. It is opened at start, as
 * nbdkit opens it; when it has failed (the server went away), the next client to connect opens a new
 * one, while clients still holding the old one get EIO.
 *
 * <p>Threads: {@link #acquire} and {@link #close} may be called from any thread; they synchronize on
 * this object, so at most one reconnection runs at a time.
 */
final class SharedConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConnection.class);

    private final Upstream upstream;
    private final String exportName;
    private NbdClient current;   // guarded by this

    SharedConnection(Upstream upstream, String exportName) {
        this.upstream = upstream;
        this.exportName = exportName;
    }

    /** The live connection, opening a new one if there is none or the last one has ended. */
    synchronized NbdClient acquire() throws IOException {
        if (current != null && current.closed().isDone()) {
            LOG.info("nbd: the shared connection to {} has ended; reconnecting", upstream.address());
            closeQuietly(current);
            current = null;
            upstream.counts().reconnected();
        }
        if (current == null) {
            current = upstream.connect(exportName);
        }
        return current;
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            closeQuietly(current);
            current = null;
        }
    }

    private static void closeQuietly(NbdClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("nbd: closing the shared connection: {}", e.getMessage());
        }
    }
}
