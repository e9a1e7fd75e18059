package io.nbd4j.server;

import io.nbd4j.server.handshake.OpeningClock;
import io.nbd4j.server.transport.Transport;
import io.nbd4j.spi.Uninterruptibly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the handshake timeout and the idle timeout: a connection still negotiating after the
 * first, or in transmission with no byte moved either way for the second, is closed with one log
 * line. Closing the socket wakes its reader, which then ends the connection the usual way. Time the
 * server spends opening an export during negotiation does not count towards the handshake timeout
 * (see {@link OpeningClock}).
 *
 * <p><b>Threads.</b> Thread-safe. One platform daemon thread scans the watched connections a few times per
 * timeout; it exists only while a timeout is set and the watchdog is open.
 */
final class ConnectionWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatchdog.class);
    private static final Duration LONGEST_SCAN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SHORTEST_SCAN_INTERVAL = Duration.ofMillis(20);

    private final long handshakeNanos;
    private final long idleNanos;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final Thread scanner;

    /** One watched connection; {@link #end} must be called when the connection ends. */
    final class Watch implements OpeningClock {
        private final long connectionId;
        private final Transport transport;
        /** When the client's handshake time started, moved later by the time the server was busy. */
        private volatile long started = System.nanoTime();
        /** Whether the server is opening an export now; the scanner then leaves the connection alone. */
        private volatile boolean serverBusy;
        /** When the server started opening an export; read and written on the connection's thread only. */
        private long busySince;
        private volatile boolean transmitting;

        private Watch(long connectionId, Transport transport) {
            this.connectionId = connectionId;
            this.transport = transport;
        }

        void enterTransmission() {
            transmitting = true;
        }

        @Override
        public void serverBusy() {
            busySince = System.nanoTime();
            serverBusy = true;
        }

        @Override
        public void serverDone() {
            if (serverBusy) {
                // written before the flag is cleared, so a scan that sees the flag clear sees the new start
                started += System.nanoTime() - busySince;
                serverBusy = false;
            }
        }

        void end() {
            watched.remove(this);
        }

        private void check(long now) {
            if (!transmitting && !serverBusy && handshakeNanos > 0 && now - started > handshakeNanos) {
                expire("handshake not finished within " + seconds(handshakeNanos) + " (handshake timeout)");
            } else if (transmitting && idleNanos > 0 && now - transport.lastActivityNanos() > idleNanos) {
                expire("idle for " + seconds(idleNanos) + " (idle timeout)");
            }
        }

        private void expire(String why) {
            if (watched.remove(this)) {
                LOG.warn("conn {}: {}; closing", connectionId, why);
                transport.close();
            }
        }
    }

    ConnectionWatchdog(Duration handshakeTimeout, Duration idleTimeout) {
        this.handshakeNanos = handshakeTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        long shortest = Math.min(handshakeNanos > 0 ? handshakeNanos : Long.MAX_VALUE, idleNanos > 0 ? idleNanos : Long.MAX_VALUE);
        if (shortest == Long.MAX_VALUE) {
            scanner = null;
            return;
        }
        // scanning four times per timeout keeps the overshoot under a quarter of it
        Duration interval = Duration.ofNanos(Math.clamp(shortest / 4, SHORTEST_SCAN_INTERVAL.toNanos(), LONGEST_SCAN_INTERVAL.toNanos()));
        scanner = Thread.ofPlatform().daemon().name("nbd4j-watchdog").start(() -> scan(interval));
    }

    /** Starts watching a connection that has just been accepted. */
    Watch watch(long connectionId, Transport transport) {
        Watch w = new Watch(connectionId, transport);
        if (scanner != null) {
            watched.add(w);
        }
        return w;
    }

    private void scan(Duration interval) {
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException closed) {
                return;
            }
            long now = System.nanoTime();
            for (Watch w : watched) {
                w.check(now);
            }
        }
    }

    private static String seconds(long nanos) {
        return Duration.ofNanos(nanos).toMillis() / 1000.0 + " s";
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.interrupt();
            Uninterruptibly.join(scanner);
        }
    }
}
