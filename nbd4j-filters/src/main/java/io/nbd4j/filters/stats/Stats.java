package io.nbd4j.filters.stats;

import java.util.List;

/**
 * The counters of every operation kind, shared by all connections of the server.
 *
 * <p><b>Threads.</b> The fields are final and each {@link OpStats} is lock-free.
 */
final class Stats {
    final OpStats read = new OpStats("read");
    final OpStats write = new OpStats("write");
    final OpStats trim = new OpStats("trim");
    final OpStats zero = new OpStats("zero");
    final OpStats extents = new OpStats("extents");
    final OpStats cache = new OpStats("cache");
    final OpStats flush = new OpStats("flush");
    final boolean histogram;

    Stats(boolean histogram) {
        this.histogram = histogram;
    }

    /** Snapshots in nbdkit's order of printing. */
    List<OpStats.Snapshot> snapshot() {
        return List.of(read.snapshot(), write.snapshot(), trim.snapshot(), zero.snapshot(),
                extents.snapshot(), cache.snapshot(), flush.snapshot());
    }
}
