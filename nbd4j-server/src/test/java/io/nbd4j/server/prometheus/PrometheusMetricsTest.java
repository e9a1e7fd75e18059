package io.nbd4j.server.prometheus;

import io.nbd4j.spi.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusMetricsTest {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final PrometheusMetrics metrics = new PrometheusMetrics(registry);

    private MetricSnapshot scraped(String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void countersGaugesAndTimersReachTheRegistryWithTheirLabels() {
        metrics.counter("nbd4j_test_hits", "hits", "export").labels("a").add(5);
        metrics.counter("nbd4j_test_hits", "hits", "export").labels("a").inc();
        Metrics.Gauge level = metrics.gauge("nbd4j_test_level", "level");
        level.set(10);
        level.add(-3);
        Metrics.Timer timer = metrics.timer("nbd4j_test_wait_seconds", "wait", "op").labels("get");
        timer.recordNanos(2_000_000);
        timer.recordNanos(30_000_000);

        CounterSnapshot hits = (CounterSnapshot) scraped("nbd4j_test_hits");
        assertThat(hits.getDataPoints()).singleElement().satisfies(p -> {
            assertThat(p.getLabels().equals(Labels.of("export", "a"))).isTrue();
            assertThat(p.getValue()).isEqualTo(6);
        });
        assertThat(((GaugeSnapshot) scraped("nbd4j_test_level")).getDataPoints().getFirst().getValue()).isEqualTo(7);
        HistogramSnapshot.HistogramDataPointSnapshot wait =
                ((HistogramSnapshot) scraped("nbd4j_test_wait_seconds")).getDataPoints().getFirst();
        assertThat(wait.getCount()).isEqualTo(2);
        assertThat(wait.getSum()).isCloseTo(0.032, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(wait.getClassicBuckets().getUpperBound(0)).isEqualTo(PrometheusMetrics.SECONDS_BUCKETS[0]);
        assertThat(wait.hasNativeHistogramData()).isFalse();
    }

    @Test
    void aNameRegisteredAgainAsAnotherKindOrWithOtherLabelsIsRefused() {
        metrics.counter("nbd4j_test_x", "x", "export");
        assertThatThrownBy(() -> metrics.gauge("nbd4j_test_x", "x", "export")).hasMessageContaining("already registered");
        assertThatThrownBy(() -> metrics.counter("nbd4j_test_x", "x", "group")).hasMessageContaining("already registered");
    }

    @Test
    void itChecksNamesAsTheSpiDoes() {
        assertThatThrownBy(() -> metrics.counter("nbd4j_test_total", "x")).hasMessageContaining("_total");
        assertThatThrownBy(() -> metrics.timer("nbd4j_test_wait", "x")).hasMessageContaining("_seconds");
        assertThatThrownBy(() -> metrics.counter("nbd4j_test_y", "y", "export").inc()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void labelSetsBeyondTheLimitAreCountedAsOther() {
        Metrics.Counter family = metrics.counter("nbd4j_test_by_export", "by export", "export");
        for (int i = 0; i < Metrics.MAX_LABEL_SETS + 50; i++) {
            family.labels("export-" + i).inc();
        }
        family.labels("export-0").inc();   // a label set held before the limit keeps counting on its own

        CounterSnapshot s = (CounterSnapshot) scraped("nbd4j_test_by_export");
        assertThat(s.getDataPoints()).hasSize(Metrics.MAX_LABEL_SETS + 1);
        assertThat(s.getDataPoints()).filteredOn(p -> p.getLabels().get("export").equals(Metrics.OVERFLOW_LABEL))
                .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(50));
        assertThat(s.getDataPoints()).filteredOn(p -> p.getLabels().get("export").equals("export-0"))
                .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(2));
    }
}
