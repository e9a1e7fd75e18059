package io.nbd4j.filters.cache;

import java.util.function.BooleanSupplier;

/**
 * The cache filter's configuration.
 *
 * @param mode        {@code cache=}
 * @param blockSize   {@code cache-min-block-size=} (alias {@code cache-block-size=})
 * @param cacheOnRead {@code cache-on-read=}: asked on every read, because {@code /PATH} may come and go
 */
record CacheSettings(WriteMode mode, int blockSize, BooleanSupplier cacheOnRead) {}
