/**
 * The xz filter ({@code --filter=xz}): serves the decompressed contents of an xz file provided by the
 * layer below, read-only, with random access.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code xz-max-block=SIZE} (default 512M)</dt>
 * <dd>A file with an uncompressed block larger than this is refused (the connection fails with
 *     EINVAL, naming the block size), because a read decompresses and keeps whole blocks. At most
 *     2G-9 bytes, the largest Java array.</dd>
 * <dt>{@code xz-max-depth=N} (default 8)</dt>
 * <dd>How many decompressed blocks each connection keeps, least recently used dropped first. A
 *     connection may so hold up to {@code N} times the largest block in memory.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Each connection reads the file's index (at its end) through the layer below, opened read-only, with
 * XZ for Java's seekable decoder; a read decompresses every block it touches from that block's start.
 * Files made with {@code xz --block-size=…} (or multi-threaded xz, which makes blocks) therefore read
 * fast anywhere; a file that is one big block reads only as far as the decoder gets and is usually
 * refused by {@code xz-max-block}. Multi-stream files and every check type xz writes are supported.
 * Writes, trim and zero are not advertised; flush passes through; cache decompresses the range so the
 * following reads find it; no extents (all data, as nbdkit); multi-conn, since the layer below is
 * only read. Requests of one connection are decompressed one at a time.
 */
package io.nbd4j.filters.xz;
