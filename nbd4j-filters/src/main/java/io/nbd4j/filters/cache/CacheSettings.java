package io.nbd4j.filters.cache;

import java.util.function.BooleanSupplier;

/**
 * The cache filter's configuration.
 *
 * @param mode        {@code cache=}
 * @param blockSize   {@code cache-min-block-size=} (alias {@code cache-block-size=})
 * @param cacheOnRead {@code cache-on-read=}: asked on every read, because {@code /PATH} may come and go
 * @param limit       {@code cache-max-size=}, {@code cache-high-threshold=}, {@code cache-low-threshold=}
 */
record CacheSettings(WriteMode mode, int blockSize, BooleanSupplier cacheOnRead, CacheLimit limit) {}
