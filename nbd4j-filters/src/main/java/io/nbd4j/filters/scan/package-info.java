/**
 * The scan filter ({@code --filter=scan}): while a client is connected to the default export, a
 * background thread of the connection prefetches ({@code NBD_CMD_CACHE}) the whole disk from start to
 * end, for clients that will read most of it in order. Like the readahead filter it helps only when the
 * layer below caches natively (plugins that prefetch, or the cache filter, or the cow filter with
 * {@code cow-on-cache=true}, after this filter) and the server runs requests in parallel; otherwise it
 * warns once and does nothing. With the cache or cow filter below, the whole disk ends up in their
 * temporary file.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code scan-ahead=true|false} (default true)</dt>
 * <dd>When the client reads past where the scan is, skip forward to after that read.</dd>
 * <dt>{@code scan-clock=true|false} (default true)</dt>
 * <dd>A new connection goes on from where the scans so far got to (as a stopped clock goes on), rather
 *     than from the beginning.</dd>
 * <dt>{@code scan-forever=true|false} (default false)</dt>
 * <dd>After the end, start again from the beginning, for as long as a client is connected.</dd>
 * <dt>{@code scan-size=SIZE} (default 2M)</dt>
 * <dd>How much one prefetch asks for, a power of 2 from 512 to 32M.</dd>
 * </dl>
 * Only the default export is scanned (a warning says so for others), and only while a client is
 * connected: the scan stops when its connection ends. Prefetches that fail are ignored.
 */
package io.nbd4j.filters.scan;
