/**
 * The readahead filter ({@code --filter=readahead}): each read also asks the layer below to prefetch
 * ({@code NBD_CMD_CACHE}) what follows it, in the background, so that sequential reads find their data
 * ready. The window starts at 32 KiB, doubles up to 4 MiB while reads move past what was prefetched,
 * and falls back to 32 KiB when they go backwards. No parameters.
 *
 * <p>It helps only when the layer below caches natively (plugins that prefetch, or the cache filter, or
 * the cow filter with {@code cow-on-cache=true}, placed after this filter) and the server runs requests
 * in parallel; otherwise it warns once and does nothing. Prefetches that fail are ignored. A connection's
 * prefetches run one at a time on a thread of its own, apart from the client's requests, which never
 * wait for them; at most 64 wait, the oldest dropped first. They end with the connection.
 *
 * <h2>Beyond nbdkit</h2>
 * Each connection has its own window (nbdkit shares one among all connections, which several clients
 * reading at once keep resetting), and the waiting prefetches are bounded (nbdkit's queue grows
 * without limit when the layer below is slower than the client).
 */
package io.nbd4j.filters.readahead;
