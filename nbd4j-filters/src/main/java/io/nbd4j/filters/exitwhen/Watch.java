package io.nbd4j.filters.exitwhen;

import io.nbd4j.spi.ServerControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exitwhen filter's state: the events, whether one has happened ({@code exiting}), and how many
 * clients are connected. Events are checked when a client arrives (one arriving after an event is
 * refused), when one leaves (the last to leave after an event stops the server), and, while no
 * client is connected, every poll interval by a virtual thread that stops the server at once when an
 * event happens.
 *
 * <p><b>Threads.</b> One lock guards the count and the flag, and is held while events are checked
 * (a script may take a moment), so two checks never run at once; it is never held during a
 * client's requests, which this filter does not see.
 */
final class Watch {
    private static final Logger LOG = LoggerFactory.getLogger(Watch.class);

    private final List<Event> events;
    private final Duration poll;
    private final ReentrantLock lock = new ReentrantLock();
    private int connections;
    private boolean exiting;
    private Thread poller;

    Watch(List<Event> events, Duration poll) {
        this.events = List.copyOf(events);
        this.poll = poll;
    }

    /** Whether an event has happened, now or before; must hold the lock. */
    private boolean check() {
        if (!exiting) {
            for (Event e : events) {
                if (e.happened()) {
                    LOG.info("exitwhen: {}: the event happened; the server exits once no client is connected", e.describe());
                    exiting = true;
                    break;
                }
            }
        }
        return exiting;
    }

    /** At start: whether an event has happened already (the server then exits without serving). */
    boolean happenedAlready() {
        lock.lock();
        try {
            return check();
        } finally {
            lock.unlock();
        }
    }

    /** Starts polling for events while the server is idle. */
    void startPolling(ServerControl server) {
        if (events.isEmpty()) {
            return;
        }
        poller = Thread.ofVirtual().name("exitwhen-poll").start(() -> {
            try {
                while (!server.isShuttingDown()) {
                    server.sleepUnlessShutdown(poll);
                    lock.lock();
                    try {
                        if (connections == 0 && check()) {
                            LOG.info("exitwhen: stopping the idle server");
                            server.shutdown();
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (Exception stopped) {
                // the server is shutting down, or the filter is unloading
            }
        });
    }

    /** A client arrives: false when it must be turned away because the server is exiting. */
    boolean admit() {
        lock.lock();
        try {
            return !check();
        } finally {
            lock.unlock();
        }
    }

    void opened() {
        lock.lock();
        try {
            connections++;
        } finally {
            lock.unlock();
        }
    }

    /** A client left: stops the server if it was the last one and an event has happened. */
    void closed(ServerControl server) {
        lock.lock();
        try {
            check();
            if (--connections == 0 && exiting) {
                LOG.info("exitwhen: the last client disconnected: stopping the server");
                server.shutdown();
            }
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        if (poller != null) {
            poller.interrupt();
        }
        events.forEach(Event::close);
    }
}
