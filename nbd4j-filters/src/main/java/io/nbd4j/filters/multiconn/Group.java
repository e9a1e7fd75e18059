package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.FlightEvents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Uninterruptibly;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connections whose flushes are made consistent with each other: every connection, or those of one
 * export name. It owns the group-wide dirty state and runs the emulated flush rounds.
 *
 * <h2>A round</h2>
 * Each client flush (or emulated FUA) runs a round of its own at once; rounds of a group overlap. A
 * round first takes the group dirty bit and the marks of the members it will flush (one step with
 * respect to other rounds, see {@link FlushRounds}), then, in two phases, flushes those members, each
 * through its own {@code Next} on a virtual thread of its own, and waits for all of them:
 * <ol>
 * <li><b>publish</b>: the members the tracking level says need a flush (connection: those that wrote,
 *     and those that read if the group was dirty; fast: all if the group was dirty; off: all);
 * <li><b>refresh</b>: if phase 1 flushed anything, the members that had a read in flight when the
 *     round took its marks or began one since. Their reads may have cached data that phase 1 replaced
 *     after they read it; flushing them now, after every publisher finished, drops it. The round first
 *     waits for the member's reads in flight to end, since such a read may cache old data after any
 *     look. Read counts, not READ marks, choose these members, because an overlapping round may take a
 *     READ mark first. With one request at a time per connection (every client that waits for a flush
 *     reply before relying on it) this phase is empty.
 * </ol>
 * Then the round waits for every round that was still flushing when it took its marks, and answers.
 * A member's failure does not stop the others; its bits and the group dirty bit are put back before
 * the round ends, and the round fails with an error naming how many members failed. A round whose own
 * flushes succeeded but which relied on a round that failed takes the marks again (they are back) and
 * flushes them itself, once; if a round it relies on fails again, it fails too. With
 * {@code multi-conn-flush-on-close}, a member that ends with unflushed writes flushes them as a round of
 * its own that takes only its WRITE mark ({@link #flushLeaving}), so that rounds finding that mark taken
 * wait for it.
 *
 * <p>Rounds serve every emulating group, whatever the layer below promises, so that {@code emulate}
 * replays what nbdkit replays. Outside emulation no round runs: when every member sits over a layer that
 * is multi-conn consistent itself, a connection's own flush publishes all, and {@link PublishedWrites}
 * decides whether it is needed.
 *
 * <h2>Safety argument</h2>
 * Claim: when a flush request on connection C returns normally, every write acknowledged on any member
 * before the request arrived is durable, and a read sent on any member after the reply sees it.
 * <ul>
 * <li>The request is answered by a round R that took its marks after the request arrived.</li>
 * <li>A write is marked (member WRITE bit, then group dirty) after the layer below returned and before
 *     the write is acknowledged, so every write acknowledged before R began is marked before R looks.
 *     Marks are set and cleared atomically ({@link Member}); a round clears exactly the bits it saw and
 *     restores them if the flush fails, so a mark is cleared only by a successful flush that began after
 *     the write completed, or by a round still in progress.</li>
 * <li>A member with a WRITE mark needs a flush at every tracking level. If R finds the mark (or the
 *     group dirty bit) already taken, the round T that took it either had ended when R looked (its flush
 *     returned; had it failed, T would have put the mark back before ending, and R would see it) or is
 *     one R noted in the same step as its look: R answers only after T ended, and if T failed, R takes
 *     the put-back marks again and flushes them itself.</li>
 * <li>A member that may hold data older than those writes in its cache either read before the round
 *     that published them took its marks (READ mark, flushed in that round's phase 1 when the group was
 *     dirty), or read while that round's phase 1 ran (flushed in its phase 2, after all publishers), or
 *     reads after that phase 1 ended, when the data is already published. That round is R, or one R
 *     waited for, or one that ended before R looked.</li>
 * <li>R completes only after every chosen member's flush returned, and fails if any failed.</li>
 * </ul>
 * The argument assumes what nbdkit's filter assumes: a connection's flush makes its writes visible
 * to all and drops whatever that connection had cached.
 *
 * <p><b>Threads.</b> Marks come from each member's request threads; a round runs on the thread of the
 * request that started it plus one virtual thread per extra member, and several rounds may run at once.
 * A round waits for other rounds only after its own flushes returned, and a round's flushes never wait
 * for another round, so rounds cannot wait for each other in a cycle. Membership changes only through
 * {@link Groups}; a round flushes the members present when it begins. A replayed flush enters the
 * member's {@code Next}, where the server applies that connection's serialization for the layers
 * below; this relies on the server locking at each layer's boundary, so that a connection waiting
 * inside this filter holds no lock of the layers below it. For the same reason waiting for a member's
 * reads cannot deadlock: a read in flight needs nothing that a round holds, since a round runs phase 2
 * only after its replayed flushes have returned.
 */
final class Group {
    private final String name;
    private final DirtyTracking tracking;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    /** Some connection wrote since the last round (or, outside emulation, since the last flush). */
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final FlushRounds rounds = new FlushRounds();
    private final LongAdder roundsRun;
    private final PublishedWrites publishedWrites = new PublishedWrites();
    private final RoundMetrics.Counters counters;

    Group(String name, DirtyTracking tracking, LongAdder roundsRun, RoundMetrics.Counters counters) {
        this.name = name;
        this.tracking = tracking;
        this.counters = counters;
        this.roundsRun = roundsRun;
    }

    String name() {
        return name;
    }

    DirtyTracking tracking() {
        return tracking;
    }

    void add(Member m) {
        members.add(m);
    }

    /** Removes a member; returns whether the group is now empty. */
    boolean remove(Member m) {
        members.remove(m);
        return members.isEmpty();
    }

    int size() {
        return members.size();
    }

    boolean isDirty() {
        return dirty.get();
    }

    void markDirty() {
        if (!dirty.get()) {
            dirty.set(true);
        }
    }

    /** Clears the dirty bit, returning whether it was set. */
    boolean takeDirty() {
        return dirty.getAndSet(false);
    }

    void restoreDirty() {
        dirty.set(true);
    }

    PublishedWrites publishedWrites() {
        return publishedWrites;
    }

    /** Whether every member's layer below promised that one flush publishes every connection's writes. */
    boolean allConsistentBelow() {
        for (Member m : members) {
            if (!m.consistentBelow()) {
                return false;
            }
        }
        return true;
    }

    /** Makes every write acknowledged before this call visible on every member (emulated multi-conn). */
    void flushAll() throws IOException {
        int replayed = 0;
        boolean reliedOnOthers = false;
        IOException failure = null;
        try {
            for (int attempt = 1; attempt <= 2; attempt++) {
                FlushRounds.Started<Marks> round = rounds.start(this::takeMarks);
                reliedOnOthers |= !round.earlier().isEmpty();
                replayed += replay(round);
                failure = FlushRounds.awaitFlushed(round.earlier());
                if (failure == null) {
                    return;
                }
            }
            // Each request gets its own exception: the same instance thrown on many threads would
            // collect their suppressed exceptions and stack traces together.
            throw new NbdException(NbdException.errorOf(failure), failure.getMessage(), failure);
        } finally {
            counters.round(replayed, reliedOnOthers);
            if (replayed > 0 || !reliedOnOthers) {
                roundsRun.increment();
            }
        }
    }

    /**
     * Flushes the writes of a member that ends without having flushed them, as a round of its own that
     * takes only that member's WRITE mark, so that an overlapping round which finds the mark taken waits
     * for this flush to return.
     */
    void flushLeaving(Member m) throws IOException {
        FlushRounds.Started<Integer> round = rounds.start(() -> m.takeIf(bits -> (bits & Member.WRITE) != 0));
        IOException failure = null;
        try {
            if (round.taken() >= 0) {
                m.flushTaken(round.taken(), 0);
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            failure = new NbdException(NbdError.EIO, "multi-conn: flush on close failed: " + e, e);
            throw e;
        } finally {
            rounds.finish(round.round(), failure);
        }
    }

    /** How many rounds are flushing now (for tests). */
    int roundsInProgress() {
        return rounds.inProgress();
    }

    /** What a round took in its first step: the dirty bit, the members and the marks it will flush. */
    private record Marks(boolean wasDirty, List<Member> members, long[] readCounts, List<Taken> publish) {}

    private Marks takeMarks() {
        boolean wasDirty = takeDirty();
        List<Member> snapshot = List.copyOf(members);
        long[] readCounts = new long[snapshot.size()];
        List<Taken> publish = new ArrayList<>(snapshot.size());
        for (int i = 0; i < snapshot.size(); i++) {
            Member m = snapshot.get(i);
            readCounts[i] = m.readsBegunIfNoneInFlight();
            int old = m.takeIf(bits -> needsFlush(bits, wasDirty));
            if (old >= 0) {
                publish.add(new Taken(m, old));
            }
        }
        return new Marks(wasDirty, snapshot, readCounts, publish);
    }

    /**
     * Flushes what a started round took and ends it; throws the round's own failure.
     *
     * @return how many flushes were replayed
     */
    private int replay(FlushRounds.Started<Marks> round) throws IOException {
        RoundEvent event = null;
        if (FlightEvents.isRecording()) {
            event = new RoundEvent();
            event.begin();
        }
        Marks marks = round.taken();
        Failures failures = new Failures();
        int replayed = 0;
        NbdException failure = null;
        try {
            flushInParallel(marks.publish(), failures);
            List<Taken> refresh = new ArrayList<>();
            if (!marks.publish().isEmpty() && marks.members().size() > 1) {
                for (int i = 0; i < marks.members().size(); i++) {
                    Member m = marks.members().get(i);
                    m.awaitReadsInFlight();
                    if (m.readSince(marks.readCounts()[i])) {
                        refresh.add(new Taken(m, m.takeBit(Member.READ) ? Member.READ : 0));
                    }
                }
                flushInParallel(refresh, failures);
            }
            replayed = marks.publish().size() + refresh.size();
        } catch (RuntimeException | Error e) {
            failures.add(new NbdException(NbdError.EIO, "multi-conn: flush round failed: " + e, e));
            throw e;
        } finally {
            // Marks go back before the round ends: a round that finds it ended must see them.
            if (failures.count() > 0) {
                restoreDirty();
                failure = failures.toException(name, marks.members().size());
            }
            rounds.finish(round.round(), failure);
            if (event != null) {
                event.end();
                if (event.shouldCommit()) {
                    event.group = name;
                    event.requests = 1;
                    event.replayed = replayed;
                    event.failed = failures.count();
                    event.commit();
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return replayed;
    }

    private boolean needsFlush(int bits, boolean wasDirty) {
        return switch (tracking) {
            case OFF -> true;
            case FAST -> wasDirty;
            case CONNECTION -> (bits & Member.WRITE) != 0 || (wasDirty && (bits & Member.READ) != 0);
        };
    }

    private record Taken(Member member, int bits) {}

    private void flushInParallel(List<Taken> work, Failures failures) {
        if (work.isEmpty()) {
            return;
        }
        Thread[] helpers = new Thread[work.size() - 1];
        for (int i = 1; i < work.size(); i++) {
            Taken t = work.get(i);
            helpers[i - 1] = Thread.ofVirtual().name("multi-conn-flush").start(() -> flushOne(t, failures));
        }
        flushOne(work.getFirst(), failures);
        Uninterruptibly.join(helpers);
    }

    private void flushOne(Taken t, Failures failures) {
        try {
            t.member().replayFlush(t.bits());
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
    }

    /** The failures of one round, collected from the member threads. */
    private static final class Failures {
        private final List<Exception> list = new ArrayList<>();

        synchronized void add(Exception e) {
            list.add(e);
        }

        synchronized int count() {
            return list.size();
        }

        synchronized NbdException toException(String group, int members) {
            Exception first = list.getFirst();
            String where = group.isEmpty() ? "" : " of export '" + group + "'";
            NbdException e = new NbdException(NbdException.errorOf(first),
                    "multi-conn: flush failed on " + list.size() + " of " + members + " connections" + where
                            + ": " + first.getMessage(), first);
            for (int i = 1; i < list.size(); i++) {
                e.addSuppressed(list.get(i));
            }
            return e;
        }
    }
}
