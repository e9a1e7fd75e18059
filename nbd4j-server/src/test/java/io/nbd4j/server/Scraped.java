package io.nbd4j.server;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * One scrape of a Prometheus registry, read the way a test asks: the value of a family's data point
 * whose labels are the given name/value pairs (0 when there is none).
 */
final class Scraped {
    private final Iterable<MetricSnapshot> snapshots;

    Scraped(PrometheusRegistry registry) {
        this.snapshots = registry.scrape();
    }

    /** A counter's or gauge's value; a histogram's count of observations. */
    double value(String family, String... labelPairs) {
        Labels wanted = Labels.of(labelPairs);
        for (MetricSnapshot s : snapshots) {
            if (!s.getMetadata().getName().equals(family)) {
                continue;
            }
            for (DataPointSnapshot p : s.getDataPoints()) {
                if (p.getLabels().equals(wanted)) {
                    return switch (s) {
                        case CounterSnapshot c -> ((CounterSnapshot.CounterDataPointSnapshot) p).getValue();
                        case GaugeSnapshot g -> ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
                        case HistogramSnapshot h -> ((HistogramSnapshot.HistogramDataPointSnapshot) p).getCount();
                        default -> throw new IllegalArgumentException("not a counter, gauge or histogram: " + family);
                    };
                }
            }
        }
        return 0;
    }
}
