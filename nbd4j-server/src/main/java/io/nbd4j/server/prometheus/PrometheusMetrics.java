package io.nbd4j.server.prometheus;

import io.nbd4j.spi.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Metrics} kept in a Prometheus {@link PrometheusRegistry}, through the Prometheus Java client
 * library: counters are its {@code Counter}s, gauges its {@code Gauge}s, timers its classic-only
 * {@code Histogram}s in seconds (fixed buckets from 10 µs to 10 s; no native histogram, whose sparse
 * buckets would box an index per observation), all without exemplars. Using a child is then a few
 * {@code LongAdder} and {@code DoubleAdder} additions and no allocation.
 *
 * <p>An embedding program publishes its server's metrics with
 * {@code NbdServer.builder().metrics(new PrometheusMetrics(registry))} and serves {@code registry} as it
 * likes; it needs {@code io.prometheus:prometheus-metrics-core} on its class path.
 *
 * <p><b>Threads.</b> Thread-safe; families are registered under a map's lock, children found through
 * the library's concurrent maps.
 */
public final class PrometheusMetrics implements Metrics {
    /** Upper bounds of the timers' buckets, in seconds: storage latencies, from a RAM disk's to a slow remote's. */
    static final double[] SECONDS_BUCKETS = {
            0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry;
    private final Map<String, Family<?>> families = new ConcurrentHashMap<>();

    public PrometheusMetrics(PrometheusRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry the families are registered in. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Metrics.Counter counter(String name, String help, String... labelNames) {
        Metrics.NONE.counter(name, help, labelNames);   // the SPI's own checks of names, so both registries agree
        return family(name, Kind.COUNTER, labelNames, () -> io.prometheus.metrics.core.metrics.Counter.builder().name(name).help(help)
                .labelNames(labelNames).withoutExemplars().register(registry), CounterChild::new);
    }

    @Override
    public Metrics.Gauge gauge(String name, String help, String... labelNames) {
        Metrics.NONE.gauge(name, help, labelNames);
        return family(name, Kind.GAUGE, labelNames, () -> io.prometheus.metrics.core.metrics.Gauge.builder().name(name).help(help)
                .labelNames(labelNames).withoutExemplars().register(registry), GaugeChild::new);
    }

    @Override
    public Metrics.Timer timer(String name, String help, String... labelNames) {
        Metrics.NONE.timer(name, help, labelNames);
        return family(name, Kind.TIMER, labelNames, () -> Histogram.builder().name(name).help(help).unit(Unit.SECONDS)
                .labelNames(labelNames).classicOnly().classicUpperBounds(SECONDS_BUCKETS).withoutExemplars()
                .register(registry), TimerChild::new);
    }

    private enum Kind { COUNTER, GAUGE, TIMER }

    @SuppressWarnings("unchecked")
    private <C> C family(String name, Kind kind, String[] labelNames, Supplier<StatefulMetric<?, ?>> register,
                         Function<Object, C> child) {
        Family<?> f = families.computeIfAbsent(name, n -> new Family<>(kind, labelNames, register.get(), child));
        if (f.kind != kind || !Arrays.equals(f.labelNames, labelNames)) {
            throw new IllegalArgumentException("metric " + name + " is already registered as a " + f.kind.name().toLowerCase()
                    + " with labels " + Arrays.toString(f.labelNames));
        }
        return (C) f.root;
    }

    /**
     * One registered family: the library's metric, the label sets handed out so far (at most
     * {@link Metrics#MAX_LABEL_SETS}, then {@link Metrics#OVERFLOW_LABEL}), and the root child, which
     * stands for the family itself.
     */
    private static final class Family<C> {
        final Kind kind;
        final String[] labelNames;
        final StatefulMetric<?, ?> metric;
        final Function<Object, C> child;
        final Set<List<String>> labelSets = ConcurrentHashMap.newKeySet();
        final C root;

        Family(Kind kind, String[] labelNames, StatefulMetric<?, ?> metric, Function<Object, C> child) {
            this.kind = kind;
            this.labelNames = labelNames.clone();
            this.metric = metric;
            this.child = child;
            this.root = child.apply(this);
        }

        /** The library's data point for these values, or the overflow one once the family is full. */
        Object point(String[] values) {
            if (values.length != labelNames.length) {
                throw new IllegalArgumentException("expected " + labelNames.length + " label values, got " + values.length);
            }
            List<String> key = List.of(values);   // rejects null values
            if (!labelSets.contains(key)) {
                if (labelSets.size() >= MAX_LABEL_SETS) {
                    String[] overflow = new String[values.length];
                    Arrays.fill(overflow, OVERFLOW_LABEL);
                    return metric.labelValues(overflow);
                }
                labelSets.add(key);
            }
            return metric.labelValues(values);
        }

        /** The family's only data point when it has no labels; a labelled family has none. */
        Object unlabelled() {
            if (labelNames.length != 0) {
                return null;
            }
            return metric.labelValues();
        }
    }

    /** A child is built either for a family (its root: {@code labels} finds children) or for one data point. */
    private abstract static class Child<P> {
        private final Family<?> family;
        final P point;

        @SuppressWarnings("unchecked")
        Child(Object familyOrPoint) {
            if (familyOrPoint instanceof Family<?> f) {
                family = f;
                point = (P) f.unlabelled();
            } else {
                family = null;
                point = (P) familyOrPoint;
            }
        }

        final P point() {
            if (point == null) {
                throw new IllegalStateException("this family has labels: use labels(...) first");
            }
            return point;
        }

        final Object pointFor(String[] values) {
            if (family == null) {
                if (values.length == 0) {
                    return point;
                }
                throw new IllegalArgumentException("labels(...) of a child: call it on the family");
            }
            return values.length == 0 && point != null ? point : family.point(values);
        }
    }

    private static final class CounterChild extends Child<CounterDataPoint> implements Metrics.Counter {
        CounterChild(Object familyOrPoint) {
            super(familyOrPoint);
        }

        @Override
        public void inc() {
            point().inc();
        }

        @Override
        public void add(long amount) {
            if (amount < 0) {
                throw new IllegalArgumentException("a counter cannot go down: " + amount);
            }
            point().inc(amount);
        }

        @Override
        public Metrics.Counter labels(String... values) {
            return new CounterChild(pointFor(values));
        }
    }

    private static final class GaugeChild extends Child<GaugeDataPoint> implements Metrics.Gauge {
        GaugeChild(Object familyOrPoint) {
            super(familyOrPoint);
        }

        @Override
        public void set(double value) {
            point().set(value);
        }

        @Override
        public void add(double delta) {
            point().inc(delta);
        }

        @Override
        public Metrics.Gauge labels(String... values) {
            return new GaugeChild(pointFor(values));
        }
    }

    private static final class TimerChild extends Child<DistributionDataPoint> implements Metrics.Timer {
        TimerChild(Object familyOrPoint) {
            super(familyOrPoint);
        }

        @Override
        public void recordNanos(long nanos) {
            point().observe(nanos / 1e9);
        }

        @Override
        public Metrics.Timer labels(String... values) {
            return new TimerChild(pointFor(values));
        }
    }
}
