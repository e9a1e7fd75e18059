package io.nbd4j.server.transmission;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a connection's reader runs the requests it hands off: on threads of the reader's own kind.
 * A connection read by a platform thread runs them on a pool of platform threads shared by all such
 * connections; one read by a virtual thread starts a virtual thread per request.
 *
 * <p>Why not always virtual threads: the JDK switches a socket to non-blocking mode for good the first
 * time a virtual thread reads or writes it (it then parks on the JDK's poller instead of in the kernel).
 * A request thread writes its reply to the client's socket, and a plugin's request thread may write to
 * a socket of its own (the nbd plugin sends its request upstream from it). Once switched, every blocking
 * read of the platform threads on that socket (the connection's reader; the nbd plugin's upstream reader)
 * costs a failed read and a {@code poll} before the read that gets the data: measured on the nbd plugin's
 * copy of 1 GiB, 3,300 of each per 4,096 requests, from one block-status request per connection that ran
 * on a virtual thread at the start.
 *
 * <p>The pool keeps an idle thread for {@link #IDLE_SECONDS} and holds at most {@link #PLATFORM_LIMIT}
 * threads; a request arriving when all of them are busy, or when the system refuses another native
 * thread, runs on a virtual thread instead, as it did before.
 *
 * <p><b>Threads.</b> {@link #forCurrentReader} and the executors it returns are called by connection
 * readers, any number at once; the pool is safe for that.
 */
final class RequestThreads {
    /** Platform request threads alive at once, over all connections; past it requests get virtual ones. */
    static final int PLATFORM_LIMIT = 1024;
    /**
     * How long a thread with no request to run stays: long enough to carry a busy client's requests
     * from one to the next, short enough that an idle server soon holds no more threads than its
     * connections' readers (SoakTest waits 10 s for that).
     */
    static final long IDLE_SECONDS = 2;

    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("nbd4j-request").start(task);
    private static final Executor PLATFORM = new PlatformPool(PLATFORM_LIMIT);

    private RequestThreads() {
    }

    /** The executor for requests handed off by the calling thread, the connection's reader. */
    static Executor forCurrentReader() {
        return Thread.currentThread().isVirtual() ? VIRTUAL : PLATFORM;
    }

    /** Platform threads reused across requests and connections, a virtual thread when none can be had. */
    static final class PlatformPool implements Executor {
        private final ThreadPoolExecutor pool;

        PlatformPool(int limit) {
            // No queue: a request either finds an idle thread or a new one, never waits behind another.
            pool = new ThreadPoolExecutor(0, limit, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    Thread.ofPlatform().daemon().name("nbd4j-request").factory());
        }

        @Override
        public void execute(Runnable task) {
            try {
                pool.execute(task);
            } catch (RejectedExecutionException | OutOfMemoryError refused) {
                // all platform threads busy, or the system refused another native thread (ulimit -u, pids.max)
                VIRTUAL.execute(task);
            }
        }
    }
}
