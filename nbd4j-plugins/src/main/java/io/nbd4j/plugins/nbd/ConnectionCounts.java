package io.nbd4j.plugins.nbd;

import io.nbd4j.spi.Metrics;

/**
 * What the plugin publishes about its upstream connections: {@code nbd4j_nbd_connect_retries_total}
 * (connection attempts repeated after a failure, {@code retry=}) and {@code nbd4j_nbd_reconnects_total}
 * (shared connections opened again after the upstream dropped the previous one).
 *
 * <p><b>Threads.</b> Counted from any connection thread; the counters are set once, from {@code afterStart}.
 */
final class ConnectionCounts {
    private volatile Metrics.Counter retries = Metrics.Counter.NONE;
    private volatile Metrics.Counter reconnects = Metrics.Counter.NONE;

    void publishTo(Metrics metrics) {
        retries = metrics.counter("nbd4j_nbd_connect_retries", "Upstream connection attempts repeated after a failure (retry=)");
        reconnects = metrics.counter("nbd4j_nbd_reconnects", "Shared upstream connections opened again after the upstream dropped one");
    }

    void retried() {
        retries.inc();
    }

    void reconnected() {
        reconnects.inc();
    }
}
