package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces concurrent flush requests of one group into rounds.
 *
 * <p>At most one round runs at a time, and at most one more waits to start. A request that finds no
 * round running starts one at once. A request that finds a round running joins the waiting round
 * (creating it, and then leading it, if there is none); it must not join the running round, which may
 * already have looked at the dirty bits before the request arrived. When the running round ends, its
 * outcome is handed to all its requests and the waiting round starts, led by the request that created
 * it. So N requests that arrive while a round runs cost one more round, not N, and every request is
 * answered by a round that began after it arrived.
 *
 * <p><b>Threads.</b> Called from any request thread. The lock guards only the two round slots; the round
 * body runs outside it, on the leader's thread. Waiting is not interruptible: a leader that gave up would
 * strand the requests that joined its round.
 */
final class FlushRounds {
    /** The work of one round that answers {@code requests} flush requests; it throws to report a failure to all of them. */
    @FunctionalInterface
    interface Body {
        void run(int requests) throws IOException;
    }

    private static final class Round {
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<IOException> outcome = new CompletableFuture<>();
        int requests;
    }

    private final Body body;
    private final LongAdder roundsRun;
    private final ReentrantLock lock = new ReentrantLock();
    private Round running;
    private Round waiting;

    FlushRounds(Body body, LongAdder roundsRun) {
        this.body = body;
        this.roundsRun = roundsRun;
    }

    /** Returns once a round that began after this call has completed; throws that round's failure. */
    void flush() throws IOException {
        Round round;
        boolean leader;
        lock.lock();
        try {
            if (running == null) {
                round = running = new Round();
                round.started.complete(null);
                leader = true;
            } else if (waiting == null) {
                round = waiting = new Round();
                leader = true;
            } else {
                round = waiting;
                leader = false;
            }
            round.requests++;
        } finally {
            lock.unlock();
        }
        if (leader) {
            round.started.join();
            run(round);
        }
        IOException failure = round.outcome.join();
        if (failure != null) {
            // Each request gets its own exception: the same instance thrown on many threads would
            // collect their suppressed exceptions and stack traces together.
            throw new NbdException(NbdException.errorOf(failure), failure.getMessage(), failure);
        }
    }

    private void run(Round round) {
        IOException failure = null;
        Error fatal = null;
        int requests;
        lock.lock();
        try {
            requests = round.requests;   // final now: a running round takes no more requests
        } finally {
            lock.unlock();
        }
        try {
            roundsRun.increment();
            body.run(requests);
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new NbdException(NbdError.EIO, "multi-conn: flush round failed: " + e, e);
        } catch (Error e) {
            failure = new NbdException(NbdError.EIO, "multi-conn: flush round failed: " + e, e);
            fatal = e;
        } finally {
            round.outcome.complete(failure);
            lock.lock();
            try {
                running = waiting;
                waiting = null;
                if (running != null) {
                    running.started.complete(null);
                }
            } finally {
                lock.unlock();
            }
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    /** How many requests wait for a round that has not started (for tests). */
    int waitingRequests() {
        lock.lock();
        try {
            return waiting == null ? 0 : waiting.requests;
        } finally {
            lock.unlock();
        }
    }
}
