package io.nbd4j.plugins.nbd;

import io.nbd4j.server.prometheus.PrometheusMetrics;
import io.nbd4j.spi.Metrics;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.time.Duration;
import java.time.Instant;

/** Makes configured, ready nbd plugins and the open requests the server would pass them. */
final class Proxies {
    private Proxies() {}

    /** An nbd plugin configured with {@code key=value} words and made ready (shared mode connects here). */
    static NbdPlugin ready(String... parameters) throws Exception {
        NbdPlugin plugin = configured(parameters);
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    static NbdPlugin configured(String... parameters) throws Exception {
        NbdPlugin plugin = new NbdPlugin();
        for (String word : parameters) {
            int equals = word.indexOf('=');
            plugin.config(word.substring(0, equals), word.substring(equals + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    /** Gives {@code plugin} a server whose metrics go to {@code registry}, as the server's start does. */
    static void publishTo(NbdPlugin plugin, PrometheusRegistry registry) {
        Metrics metrics = new PrometheusMetrics(registry);
        plugin.afterStart(new ServerControl() {
            @Override public Instant startedAt() { return Instant.now(); }
            @Override public void shutdown() {}
            @Override public boolean isShuttingDown() { return false; }
            @Override public Metrics metrics() { return metrics; }

            /** This server never shuts down, so the whole time is slept. */
            @Override
            public void sleepUnlessShutdown(Duration duration) throws NbdException {
                try {
                    Thread.sleep(duration);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NbdException(NbdError.ESHUTDOWN, "interrupted");
                }
            }
        });
    }

    /** The value of a counter without labels, 0 if it was never registered. */
    static double counted(PrometheusRegistry registry, String name) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s.getMetadata().getName().equals(name)) {
                return ((CounterSnapshot) s).getDataPoints().getFirst().getValue();
            }
        }
        return 0;
    }

    static OpenRequest open(String exportName) {
        return new OpenRequest(exportName, false, false, 1, ThreadModel.PARALLEL, false);
    }
}
