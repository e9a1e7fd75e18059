package io.nbd4j.spi;

/**
 * Where a layer publishes numbers about its work for monitoring: counters of events, gauges of levels
 * and timers of durations. With {@code nbd4j --metrics} they are served in Prometheus' text format
 * next to the server's own (requests, bytes, errors, latency); without it every call does nothing.
 *
 * <p>A layer gets the registry from {@link ServerControl#metrics()} in {@link Layer#afterStart},
 * registers its <em>families</em> there, and keeps the labelled children it needs (one per export,
 * say) in its own objects when it creates them, so that the request path only adds to a child:
 *
 * <pre>{@code
 * private volatile Metrics.Counter hits = Metrics.Counter.NONE;
 *
 * public void afterStart(ServerControl server) {
 *     hits = server.metrics().counter("nbd4j_cache_hits", "Blocks served from the cache", "export");
 * }
 * // when an export's cache is created:   this.exportHits = hits.labels(exportName);
 * // on each hit:                          exportHits.inc();
 * }</pre>
 *
 * <p><b>Names.</b> A name matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and, by convention, starts with
 * {@code nbd4j_} and the layer's name ({@code nbd4j_cache_hits}, {@code nbd4j_s3_retries}). A counter's
 * name has no {@code _total}: the exposition adds it. A timer's name ends in {@code _seconds}, its unit.
 * Label names match {@code [a-zA-Z_][a-zA-Z0-9_]*} and do not start with {@code __}. Registering a
 * name again with the same kind and label names returns the family registered first (two instances of
 * a filter share it); with another kind or other label names it throws {@link IllegalArgumentException}.
 * {@link #NONE} checks names as a real registry does, so a mistake shows in tests run without metrics.
 *
 * <p><b>Label values</b> often come from clients (an export name): a family keeps at most
 * {@link #MAX_LABEL_SETS} distinct label sets, and children asked for beyond that all count under the
 * value {@link #OVERFLOW_LABEL} in every label, so that no client can grow the server's memory by
 * connecting under ever new names.
 *
 * <p><b>Threads.</b> Thread-safe. Using a child takes no lock and allocates nothing; finding a child
 * ({@code labels(...)}) may do both, so do it once per connection or export, not per request.
 */
public interface Metrics {
    /** The most distinct label sets one family keeps. */
    int MAX_LABEL_SETS = 1000;

    /** The value every label of a child gets once its family holds {@link #MAX_LABEL_SETS} label sets. */
    String OVERFLOW_LABEL = "other";

    /** A registry that records nothing (the server runs without {@code --metrics}). */
    Metrics NONE = new NoMetrics();

    /** Whether anything reads these numbers; {@code false} for {@link #NONE}. Work done only to feed metrics may be skipped then. */
    boolean enabled();

    /** A family of counters: numbers that only go up (events, bytes). */
    Counter counter(String name, String help, String... labelNames);

    /** A family of gauges: numbers that go up and down (entries held, connections open). */
    Gauge gauge(String name, String help, String... labelNames);

    /** A family of timers: histograms of durations, exposed in seconds. */
    Timer timer(String name, String help, String... labelNames);

    /**
     * A counter, or a family of them. {@code inc} and {@code add} act on the family itself only when it
     * has no label names; a labelled family throws {@link IllegalStateException} there.
     */
    interface Counter {
        /** A counter that counts nothing: a field's value until a layer's {@code afterStart} ran. */
        Counter NONE = NoMetrics.COUNTER;

        void inc();

        /** Adds {@code amount}, which must not be negative. */
        void add(long amount);

        /** The child for these label values, one per label name, in order; the family itself when it has none. */
        Counter labels(String... values);
    }

    /** A gauge, or a family of them (see {@link Counter} for families). */
    interface Gauge {
        /** A gauge that keeps nothing. */
        Gauge NONE = NoMetrics.GAUGE;

        void set(double value);

        /** Adds {@code delta}, which may be negative. */
        void add(double delta);

        Gauge labels(String... values);
    }

    /** A timer, or a family of them (see {@link Counter} for families). */
    interface Timer {
        /** A timer that records nothing. */
        Timer NONE = NoMetrics.TIMER;

        /** Records one duration, measured with {@link System#nanoTime()}. */
        void recordNanos(long nanos);

        Timer labels(String... values);
    }
}
