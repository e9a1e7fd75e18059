package io.nbd4j.filters.multiconn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The flush rounds of one group that are still flushing, so that each new round knows which of them it
 * relies on.
 *
 * <p>Rounds overlap: a flush request starts its round at once. The round notes the rounds still
 * flushing and takes the dirty marks it will flush, both in one step under the lock, so that every
 * mark it finds already taken was taken either by a round it noted or by a round that had finished
 * before (whose flush returned, or which failed and had put its marks back, where the new round sees
 * them). A round ends ({@link #finish}) only after its flushes returned and any marks of a failed
 * flush were put back.
 *
 * <p><b>Threads.</b> Called from any request thread. The lock guards only the set of rounds in
 * progress and makes "note the rounds in progress, then take the marks" one step with respect to the
 * other rounds' steps; flushing and waiting run outside it. Waiting is not interruptible: the request
 * must be answered, and a round never waits for another round while it flushes, so waits cannot form
 * a cycle.
 */
final class FlushRounds {
    /** One round in progress; its outcome is null on success or the failure of its own flushes. */
    static final class Round {
        private final CompletableFuture<IOException> flushed = new CompletableFuture<>();
    }

    /** A round just started: the rounds it relies on and the marks it took. */
    record Started<T>(Round round, List<Round> earlier, T taken) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Round> inProgress = new ArrayList<>();

    /** Starts a round: notes the rounds in progress, then runs {@code take}, in one step. */
    <T> Started<T> start(Supplier<T> take) {
        Round round = new Round();
        lock.lock();
        try {
            List<Round> earlier = List.copyOf(inProgress);
            T taken = take.get();
            inProgress.add(round);
            return new Started<>(round, earlier, taken);
        } finally {
            lock.unlock();
        }
    }

    /** Ends a round whose flushes have returned; a failed round must have put its marks back first. */
    void finish(Round round, IOException failure) {
        lock.lock();
        try {
            inProgress.remove(round);
        } finally {
            lock.unlock();
        }
        round.flushed.complete(failure);
    }

    /** Waits until every round in {@code rounds} has ended; returns the first failure among them, or null. */
    static IOException awaitFlushed(List<Round> rounds) {
        IOException first = null;
        for (Round r : rounds) {
            IOException failure = r.flushed.join();
            if (first == null) {
                first = failure;
            }
        }
        return first;
    }

    /** How many rounds are flushing now (for tests). */
    int inProgress() {
        lock.lock();
        try {
            return inProgress.size();
        } finally {
            lock.unlock();
        }
    }
}
