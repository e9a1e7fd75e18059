package io.nbd4j.filters.cache;

import io.nbd4j.spi.Metrics;

/**
 * What the cache filter publishes, per export: {@code nbd4j_cache_hits_total} (blocks a read found in
 * the cache) and {@code nbd4j_cache_misses_total} (blocks a read had to fetch from the layer below,
 * whether or not it then kept them).
 *
 * <p><b>Threads.</b> Thread-safe.
 */
final class CacheMetrics {
    static final CacheMetrics NONE = new CacheMetrics(Metrics.NONE);

    private final Metrics.Counter hits;
    private final Metrics.Counter misses;

    CacheMetrics(Metrics metrics) {
        hits = metrics.counter("nbd4j_cache_hits", "Blocks read from the cache", "export");
        misses = metrics.counter("nbd4j_cache_misses", "Blocks read from the layer below the cache", "export");
    }

    Counters forExport(String export) {
        return new Counters(hits.labels(export), misses.labels(export));
    }

    record Counters(Metrics.Counter hits, Metrics.Counter misses) {}
}
