/**
 * The nocache filter ({@code --filter=nocache}): takes away efficient handling of the client's advisory
 * cache (prefetch) requests, to measure what they buy.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code cachemode=none|emulate|nop} (default {@code none}; {@code no-op} is the same as {@code nop})</dt>
 * <dd>{@code none}: cache requests are not advertised. {@code emulate}: they are, and the server serves
 *     each by reading the range and throwing the data away, whatever the plugin could do.
 *     {@code nop}: they are, and each succeeds at once doing nothing.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Only cache requests change; everything else, multi-conn included, is the layer below's, and reads
 * may still be sent straight from the plugin's memory. This is unrelated to the cache filter, which
 * caches data; the two may be stacked to compare timings.
 */
package io.nbd4j.filters.nocache;
