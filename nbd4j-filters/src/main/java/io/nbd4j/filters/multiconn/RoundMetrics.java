package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.Metrics;

/**
 * What the filter publishes about emulated flushes, per group (label {@code group}: the export name
 * with {@code multi-conn-exportname=true}, else empty): {@code nbd4j_multi_conn_rounds_total} (flush
 * rounds run), {@code nbd4j_multi_conn_flushes_total} (client flushes and FUA writes answered by
 * rounds), {@code nbd4j_multi_conn_coalesced_flushes_total} (of those, the ones that shared a round with
 * an earlier one) and {@code nbd4j_multi_conn_replays_total} (flushes replayed to the group's
 * connections). The JFR event of a round is {@link RoundEvent}, named {@value #EVENT_NAME}.
 *
 * <p><b>Threads.</b> Thread-safe.
 */
final class RoundMetrics {
    static final RoundMetrics NONE = new RoundMetrics(Metrics.NONE);
    /** The JFR name of {@link RoundEvent}, here so that naming it does not load the event class. */
    static final String EVENT_NAME = "io.nbd4j.MultiConnRound";

    private final Metrics.Counter rounds;
    private final Metrics.Counter flushes;
    private final Metrics.Counter coalesced;
    private final Metrics.Counter replays;

    RoundMetrics(Metrics metrics) {
        rounds = metrics.counter("nbd4j_multi_conn_rounds", "Emulated flush rounds run", "group");
        flushes = metrics.counter("nbd4j_multi_conn_flushes", "Client flushes (and FUA writes) answered by flush rounds", "group");
        coalesced = metrics.counter("nbd4j_multi_conn_coalesced_flushes",
                "Client flushes answered by a round that also answered an earlier one", "group");
        replays = metrics.counter("nbd4j_multi_conn_replays", "Flushes replayed to the connections of a group", "group");
    }

    /** The counters of one group. */
    Counters forGroup(String group) {
        return new Counters(rounds.labels(group), flushes.labels(group), coalesced.labels(group), replays.labels(group));
    }

    record Counters(Metrics.Counter rounds, Metrics.Counter flushes, Metrics.Counter coalesced, Metrics.Counter replays) {
        /** One round that answered {@code requests} client flushes by replaying {@code replayed} flushes. */
        void round(int requests, int replayed) {
            rounds.inc();
            flushes.add(requests);
            coalesced.add(requests - 1);
            replays.add(replayed);
        }
    }
}
