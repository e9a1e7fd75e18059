/**
 * The cache filter ({@code --filter=cache}): keeps blocks of the export in a cache so that the plugin is
 * asked less often, and (in writeback mode) collects writes until the client flushes.
 *
 * <p><b>Storage.</b> One cache per export name, shared by every connection to it, in a temporary file
 * under {@code $TMPDIR} (default {@code /var/tmp}) that is deleted as soon as it is opened, with one
 * state per block: absent, clean or dirty. It lives until the server stops. Without a size limit each
 * block lies at its own offset of a sparse file; with one, blocks lie in slots that dropped blocks free
 * for new ones, so the file's allocated size follows the number of blocks held.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code cache=writeback|writethrough|unsafe} (default {@code writeback})</dt>
 * <dd>{@code writeback}: writes stay in the cache; a flush on any connection writes every dirty block
 *     back through that connection and then flushes the plugin, so multi-conn is advertised (with a
 *     size limit, only over a multi-conn plugin); a FUA write goes through to the plugin at once.
 *     {@code writethrough}: every write also goes to the plugin before it is acknowledged; multi-conn is
 *     whatever the plugin says. {@code unsafe}: like writeback but flush does nothing and FUA is ignored;
 *     data reaches the plugin only when a size-limited cache drops a block (testing only).</dd>
 * <dt>{@code cache-min-block-size=SIZE}, alias {@code cache-block-size} (default 64K)</dt>
 * <dd>The cache's block size, a power of 2 from 4K. Partial blocks are read, modified and written.</dd>
 * <dt>{@code cache-on-read=true|false|/PATH} (default false)</dt>
 * <dd>Also keep blocks read from the plugin; with {@code /PATH}, only while that file exists.</dd>
 * <dt>{@code cache-max-size=SIZE} (at least 1M; default none), {@code cache-high-threshold=N} (default 95),
 *     {@code cache-low-threshold=N} (default 80, less than the high one)</dt>
 * <dd>Once the cache holds N% (high) of SIZE, each block it takes in costs it two, until it holds less
 *     than N% (low); blocks are chosen by a clock that spares those used again since it last passed
 *     (about least recently used, as in nbdkit). A clean block is simply dropped. A dirty one is written
 *     back through the connection that reclaims and the plugin flushed before it is dropped, in writeback
 *     mode only over a plugin with multi-conn (written back without a flush in unsafe mode). Over a plugin
 *     without multi-conn, dirty blocks stay until a flush: another connection could read a dropped block
 *     back from a stale cache of its own below and write that copy back with its next change. So the
 *     cache may then outgrow the limit with unflushed writes. A failed write-back keeps the block and is
 *     logged; the next flush tries again and reports the failure.</dd>
 * </dl>
 * Reads of cached blocks never reach the plugin; {@code NBD_CMD_CACHE} loads blocks into the cache.
 * Write-zeroes is done as writes of zero blocks (fast zero fails at once with ENOTSUP). Trim passes to
 * the plugin unchanged, as in nbdkit. Block status from the plugin is corrected so that dirty blocks
 * are never reported as holes (nbdkit passes it through unchanged).
 *
 * <h2>Beyond nbdkit</h2>
 * nbdkit's reclaim punches holes even into dirty blocks, losing unflushed writes; here a dirty block is
 * written back first or kept. nbdkit advertises multi-conn in writeback mode whatever the plugin; with a
 * size limit we do only over a multi-conn plugin, since a dropped block is read again through another
 * connection's view of the plugin (the multi-conn filter in {@code auto} mode then emulates).
 *
 * <h2>Not implemented</h2>
 * The block size is not raised to the filesystem's block size as nbdkit does.
 */
package io.nbd4j.filters.cache;
