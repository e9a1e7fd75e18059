package io.nbd4j.filters.metrics;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.cache.CacheFilter;
import io.nbd4j.filters.multiconn.MultiConnFilter;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.server.prometheus.PrometheusMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** What the multi-conn and cache filters publish through the server's metrics. */
@Timeout(60)
class FilterMetricsTest {
    final PrometheusRegistry registry = new PrometheusRegistry();

    private double counter(String family, String... labelPairs) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s.getMetadata().getName().equals(family)) {
                for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
                    if (p.getLabels().equals(Labels.of(labelPairs))) {
                        return p.getValue();
                    }
                }
            }
        }
        return 0;
    }

    @Test
    void multiConnCountsRoundsFlushesAndReplaysPerGroup() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).multiConn(false);
        try (ServedStack served = ServedStack.of(disk, new MultiConnFilter()).config("multi-conn-mode=emulate")
                .server(b -> b.metrics(new PrometheusMetrics(registry))).start();
             NbdClient a = served.connect();
             NbdClient b = served.connect()) {
            a.pwrite(ByteBuffer.allocate(4096), 0, 0);
            b.flush();
            b.flush();
        }
        assertThat(counter("nbd4j_multi_conn_rounds", "group", "")).isEqualTo(2);
        assertThat(counter("nbd4j_multi_conn_flushes", "group", "")).isEqualTo(2);
        assertThat(counter("nbd4j_multi_conn_coalesced_flushes", "group", "")).isZero();   // one flush at a time
        assertThat(counter("nbd4j_multi_conn_replays", "group", "")).isEqualTo(1);   // only a wrote; the second round finds nothing dirty
    }

    @Test
    void cacheCountsBlocksReadFromTheCacheAndFromBelow() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new CacheFilter()).config("cache-on-read=true")
                .server(b -> b.metrics(new PrometheusMetrics(registry))).start();
             NbdClient c = served.connect()) {
            c.pread(ByteBuffer.allocate(128 << 10), 0, 0);    // two 64K blocks, fetched
            c.pread(ByteBuffer.allocate(64 << 10), 0, 0);     // the first again, from the cache
        }
        assertThat(counter("nbd4j_cache_misses", "export", "")).isEqualTo(2);
        assertThat(counter("nbd4j_cache_hits", "export", "")).isEqualTo(1);
    }
}
