package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.FlightEvents;
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
 * A round first takes the group dirty bit, then, in two phases, flushes the members that need it, each
 * through its own {@code Next} on a virtual thread of its own, and waits for all of them:
 * <ol>
 * <li><b>publish</b>: the members the tracking level says need a flush (connection: those that wrote,
 *     and those that read if the group was dirty; fast: all if the group was dirty; off: all);
 * <li><b>refresh</b>: if phase 1 flushed anything, the members that read while phase 1 ran. Their
 *     reads may have cached data that phase 1 replaced after they read it; flushing them now, after
 *     every publisher finished, drops it. Before looking at a member's READ mark the round waits for
 *     the member's reads in flight to end, because such a read may have cached old data during phase 1
 *     and set its closing mark only after the round looked. With one request at a time per connection
 *     (every client that waits for a flush reply before relying on it) this phase is empty.
 * </ol>
 * A member's failure does not stop the others; its bits and the group dirty bit are put back so that
 * the next round tries again, and the round fails with an error naming how many members failed.
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
 * <li>{@link FlushRounds} answers the request with a round R that began after it arrived.</li>
 * <li>A write is marked (member WRITE bit, then group dirty) after the layer below returned and before
 *     the write is acknowledged, so every write acknowledged before R began is marked before R looks.
 *     Marks are set and cleared atomically ({@link Member}); a round clears exactly the bits it saw and
 *     restores them if the flush fails, so a mark is cleared only by a successful flush that began after
 *     the write completed.</li>
 * <li>A member with a WRITE mark needs a flush at every tracking level, or its mark was cleared by an
 *     earlier round that flushed it after the write completed (which published it). A round that
 *     started earlier and still runs cannot hide a write: rounds of a group never overlap, so R begins
 *     after it ended.</li>
 * <li>A member that may hold data older than those writes in its cache either read before R (READ mark,
 *     flushed in phase 1 when the group was dirty), or read during phase 1 (READ mark set again, flushed
 *     in phase 2 after all publishers), or reads after phase 1 ended, when the data is already
 *     published. Reads mark READ both before and after they run, and phase 2 waits for the reads in
 *     flight to end before it looks, so a read that overlapped phase 1 is always seen.</li>
 * <li>R completes only after every chosen member's flush returned, and fails if any failed.</li>
 * </ul>
 * The argument assumes what nbdkit's filter assumes: a connection's flush makes its writes visible
 * to all and drops whatever that connection had cached.
 *
 * <p><b>Threads.</b> Marks come from each member's request threads; rounds run on the thread of the
 * request that leads them plus one virtual thread per extra member. Membership changes only through
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
    private final FlushRounds rounds;
    private final PublishedWrites publishedWrites = new PublishedWrites();
    private final RoundMetrics.Counters counters;

    Group(String name, DirtyTracking tracking, LongAdder roundsRun, RoundMetrics.Counters counters) {
        this.name = name;
        this.tracking = tracking;
        this.counters = counters;
        this.rounds = new FlushRounds(this::replayToMembers, roundsRun);
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
        rounds.flush();
    }

    int waitingRequests() {
        return rounds.waitingRequests();
    }

    /** The body of a round that answers {@code requests} client flushes. */
    private void replayToMembers(int requests) throws IOException {
        RoundEvent event = null;
        if (FlightEvents.isRecording()) {
            event = new RoundEvent();
            event.begin();
        }
        boolean wasDirty = takeDirty();
        List<Member> snapshot = List.copyOf(members);
        Failures failures = new Failures();

        List<Taken> publish = new ArrayList<>(snapshot.size());
        List<Taken> refresh = new ArrayList<>();
        for (Member m : snapshot) {
            int old = m.takeIf(bits -> needsFlush(bits, wasDirty));
            if (old >= 0) {
                publish.add(new Taken(m, old));
            }
        }
        flushInParallel(publish, failures);

        if (!publish.isEmpty() && snapshot.size() > 1) {
            for (Member m : snapshot) {
                m.awaitReadsInFlight();
                if (m.takeBit(Member.READ)) {
                    refresh.add(new Taken(m, Member.READ));
                }
            }
            flushInParallel(refresh, failures);
        }

        int replayed = publish.size() + refresh.size();
        counters.round(requests, replayed);
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.group = name;
                event.requests = requests;
                event.replayed = replayed;
                event.failed = failures.count();
                event.commit();
            }
        }
        if (failures.count() > 0) {
            restoreDirty();
            throw failures.toException(name, snapshot.size());
        }
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
