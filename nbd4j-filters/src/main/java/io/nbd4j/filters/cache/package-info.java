/**
 * The cache filter ({@code --filter=cache}): keeps blocks of the export in a cache so that the plugin is
 * asked less often, and (in writeback mode) collects writes until the client flushes.
 *
 * <p><b>Storage.</b> One cache per export name, shared by every connection to it, in a sparse temporary
 * file under {@code $TMPDIR} (default {@code /var/tmp}) that is deleted as soon as it is opened, with
 * one state per block: absent, clean or dirty. It lives until the server stops.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code cache=writeback|writethrough|unsafe} (default {@code writeback})</dt>
 * <dd>{@code writeback}: writes stay in the cache; a flush on any connection writes every dirty block
 *     back through that connection and then flushes the plugin, so multi-conn is advertised; a FUA write
 *     goes through to the plugin at once. {@code writethrough}: every write also goes to the plugin
 *     before it is acknowledged; multi-conn is whatever the plugin says. {@code unsafe}: like writeback
 *     but flush does nothing and FUA is ignored; data reaches the plugin never (testing only).</dd>
 * <dt>{@code cache-min-block-size=SIZE}, alias {@code cache-block-size} (default 64K)</dt>
 * <dd>The cache's block size, a power of 2 from 4K. Partial blocks are read, modified and written.</dd>
 * <dt>{@code cache-on-read=true|false|/PATH} (default false)</dt>
 * <dd>Also keep blocks read from the plugin; with {@code /PATH}, only while that file exists.</dd>
 * </dl>
 * Reads of cached blocks never reach the plugin; {@code NBD_CMD_CACHE} loads blocks into the cache.
 * Write-zeroes is done as writes of zero blocks (fast zero fails at once with ENOTSUP). Trim passes to
 * the plugin unchanged, as in nbdkit. Block status from the plugin is corrected so that dirty blocks
 * are never reported as holes (nbdkit passes it through unchanged).
 *
 * <h2>Not implemented</h2>
 * {@code cache-max-size}, {@code cache-high-threshold} and {@code cache-low-threshold} (limiting the
 * cache size with LRU reclaim) are refused with a message: the cache may grow to the export's size.
 * The block size is not raised to the filesystem's block size as nbdkit does.
 */
package io.nbd4j.filters.cache;
