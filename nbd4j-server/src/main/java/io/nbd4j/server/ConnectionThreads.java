package io.nbd4j.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the thread that reads one connection: a platform thread while fewer than a limit of
 * connections hold one, a virtual thread past it.
 *
 * <p>Why both: a platform thread blocked on its socket is one system call, where a virtual thread
 * parks, registers the socket with the JDK's poller and is woken by the poller thread. Measured with
 * fio over a Unix socket on 2 cores, a platform reader cut the server's CPU time per 4 KiB read at queue
 * depth 1 from 17–18 to 8–10 µs (memory plugin), and gave 20–35% more IOPS to 4 connections writing
 * and flushing through the multi-conn filter (file plugin). Past the limit a connection costs a small
 * object instead of a thread stack, so a thousand idle clients stay cheap, as with virtual threads only.
 *
 * <p><b>Threads.</b> Called by the acceptor threads; the count of platform readers is atomic.
 */
final class ConnectionThreads {
    /** Connections open at once that get a platform reader; nbdkit gives every connection a thread. */
    static final int PLATFORM_READERS = 64;

    private final int platformLimit;
    private final AtomicInteger platformInUse = new AtomicInteger();

    ConnectionThreads(int platformLimit) {
        this.platformLimit = platformLimit;
    }

    /** Starts {@code reader} on a new thread of the kind this connection gets. */
    Thread start(Runnable reader) {
        if (platformInUse.incrementAndGet() <= platformLimit) {
            try {
                // Daemon, as a virtual thread is: a connection left open must not keep the JVM from exiting.
                return Thread.ofPlatform().daemon().name("nbd4j-conn").start(() -> {
                    try {
                        reader.run();
                    } finally {
                        platformInUse.decrementAndGet();
                    }
                });
            } catch (OutOfMemoryError refused) {
                // The system refused another native thread (ulimit -u, pids.max): a virtual one needs none.
            }
        }
        platformInUse.decrementAndGet();
        return Thread.ofVirtual().name("nbd4j-conn").start(reader);
    }
}
