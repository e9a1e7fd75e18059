package io.nbd4j.server;

import io.nbd4j.server.backend.LayerLocks;
import io.nbd4j.server.handshake.Handshake;
import io.nbd4j.server.handshake.Session;
import io.nbd4j.server.transmission.BufferPool;
import io.nbd4j.server.transmission.Transmission;
import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection from greeting to close: the handshake, then the transmission phase, then
 * {@code finish} and {@code close} of the layers it opened, then the transport. Any failure ends only
 * this connection; an expected client fault is logged in one line, without a stack trace.
 *
 * <p><b>Threads.</b> {@link #run} runs on the connection's own (virtual) thread; {@link #shutdown}
 * may be called from any thread.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Failures that are bugs rather than client faults; counted so the fuzz tests can insist on none. */
    static final AtomicLong UNEXPECTED_FAILURES = new AtomicLong();

    private final long id;
    private final ConnectionControl control;
    private final Transport transport;
    private final ServerSettings settings;
    private final LayerStack stack;
    private final LayerLocks locks;
    private final BufferPool pool;
    private final ConnectionWatchdog watchdog;

    Connection(ConnectionControl control, Transport transport, ServerSettings settings, LayerStack stack, LayerLocks locks,
               BufferPool pool, ConnectionWatchdog watchdog) {
        this.id = control.client().connectionId();
        this.control = control;
        this.watchdog = watchdog;
        this.transport = transport;
        this.settings = settings;
        this.stack = stack;
        this.locks = locks;
        this.pool = pool;
    }

    long id() {
        return id;
    }

    void run() {
        if (LOG.isDebugEnabled()) {
            ClientInfo client = control.client();
            Object from = client.isUnix() ? "Unix socket " + client.localAddress()
                    : client.address() == null ? "channels given to the server" : client.address();
            LOG.debug("conn {}: connected from {}{}", id, from, client.peer() == null ? "" : " (" + client.peer() + ")");
        }
        Session session = null;
        ConnectionWatchdog.Watch watch = watchdog.watch(id, transport);
        Handshake handshake = new Handshake(transport, control, settings, stack, locks, watch);
        try {
            // nbdkit's preconnect: a layer may turn a client away before any negotiation.
            stack.preconnect(control.client(), settings.readOnly());
            session = handshake.run();
            if (session != null) {
                watch.enterTransmission();
                new Transmission(id, session, settings, pool, control, control::end).run();
            }
        } catch (ProtocolException e) {
            LOG.warn("conn {}: {}; closing", id, e.getMessage());
        } catch (EOFException | java.nio.channels.ClosedChannelException e) {
            LOG.debug("conn {}: connection closed during the handshake", id);
        } catch (NbdException e) {
            LOG.info("conn {}: refused: {}", id, e.getMessage());
        } catch (IOException e) {
            LOG.info("conn {}: connection failed: {}", id, e.toString());
        } catch (RuntimeException e) {
            UNEXPECTED_FAILURES.incrementAndGet();
            LOG.error("conn {}: unexpected failure", id, e);
        } finally {
            control.release();
            watch.end();
            if (session != null) {
                end(session);
            }
            handshake.transport().close();
            LOG.debug("conn {}: closed", id);
        }
    }

    private void end(Session session) {
        try {
            session.backend().finish();
        } catch (IOException | RuntimeException e) {
            LOG.warn("conn {}: finishing the export failed: {}", id, e.toString());
        } finally {
            session.backend().close();
        }
    }

    /** Makes the connection stop reading requests; the ones running still finish and reply. */
    void shutdown() {
        control.end();
        transport.shutdownInput();
    }

    /** Closes the socket under the connection, for one whose requests did not finish in time after {@link #shutdown}. */
    void forceClose() {
        transport.close();
    }
}
