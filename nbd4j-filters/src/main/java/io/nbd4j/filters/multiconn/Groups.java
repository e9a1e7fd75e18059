package io.nbd4j.filters.multiconn;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live groups of one filter instance. A group is created by its first member and removed with its
 * last; {@link ConcurrentHashMap#compute} makes "find or create, then add" and "remove, then drop if
 * empty" atomic, so a group is never dropped while a member joins it.
 *
 * <p>Emulating and non-emulating connections never share a group: a group's rounds replay flushes only
 * to connections that asked for emulation. (With {@code auto}, a plugin whose multi-conn answer differs
 * between connections of one export would otherwise mix the two.)
 *
 * <p><b>Threads.</b> Called when connections are prepared and finish; the request path never touches it.
 */
final class Groups {
    private record Key(String name, boolean emulated) {}

    private final boolean byExportName;
    private final DirtyTracking tracking;
    private final ConcurrentHashMap<Key, Group> groups = new ConcurrentHashMap<>();
    private final LongAdder roundsRun = new LongAdder();
    private volatile RoundMetrics metrics = RoundMetrics.NONE;

    Groups(boolean byExportName, DirtyTracking tracking) {
        this.byExportName = byExportName;
        this.tracking = tracking;
    }

    Group join(String exportName, boolean emulated, Member m) {
        Key key = new Key(byExportName ? exportName : "", emulated);
        return groups.compute(key, (k, g) -> {
            Group group = g != null ? g : new Group(k.name(), tracking, roundsRun, metrics.forGroup(k.name()));
            group.add(m);
            return group;
        });
    }

    /** Where groups created from now on count their rounds (the server's metrics, from {@code afterStart}). */
    void publishTo(RoundMetrics metrics) {
        this.metrics = metrics;
    }

    void leave(Group group, boolean emulated, Member m) {
        groups.computeIfPresent(new Key(group.name(), emulated), (k, g) -> g.remove(m) ? null : g);
    }

    /** How many groups exist (for tests). */
    int count() {
        return groups.size();
    }

    /** How many flush rounds are flushing now, over all groups (for tests). */
    int roundsInProgress() {
        return groups.values().stream().mapToInt(Group::roundsInProgress).sum();
    }

    /** How many client flushes of all groups ran a round of their own (for tests). */
    long roundsRun() {
        return roundsRun.sum();
    }
}
