package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.Metrics;

/**
 * What the filter publishes about emulated flushes, per group (label {@code group}: the export name
 * with {@code multi-conn-exportname=true}, else empty): {@code nbd4j_multi_conn_flushes_total} (client
 * flushes and FUA writes answered by rounds), of those {@code nbd4j_multi_conn_coalesced_flushes_total}
 * (the ones that replayed nothing themselves and were covered by overlapping rounds still flushing)
 * and {@code nbd4j_multi_conn_rounds_total} (the others), and {@code nbd4j_multi_conn_replays_total}
 * (flushes replayed to the group's connections). The JFR event of a round is {@link RoundEvent}, named {@value #EVENT_NAME}.
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
        rounds = metrics.counter("nbd4j_multi_conn_rounds",
                "Client flushes (and FUA writes) that ran a flush round of their own", "group");
        flushes = metrics.counter("nbd4j_multi_conn_flushes", "Client flushes (and FUA writes) answered by flush rounds", "group");
        coalesced = metrics.counter("nbd4j_multi_conn_coalesced_flushes",
                "Client flushes covered by overlapping flush rounds without replaying anything themselves", "group");
        replays = metrics.counter("nbd4j_multi_conn_replays", "Flushes replayed to the connections of a group", "group");
    }

    /** The counters of one group. */
    Counters forGroup(String group) {
        return new Counters(rounds.labels(group), flushes.labels(group), coalesced.labels(group), replays.labels(group));
    }

    record Counters(Metrics.Counter rounds, Metrics.Counter flushes, Metrics.Counter coalesced, Metrics.Counter replays) {
        /** One client flush, answered after replaying {@code replayed} flushes and, maybe, waiting for other rounds. */
        void round(int replayed, boolean reliedOnOthers) {
            flushes.inc();
            if (replayed == 0 && reliedOnOthers) {
                coalesced.inc();
            } else {
                rounds.inc();
            }
            replays.add(replayed);
        }
    }
}
