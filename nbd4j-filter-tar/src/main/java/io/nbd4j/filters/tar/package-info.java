/**
 * The tar filter ({@code --filter=tar}): serves one file inside an uncompressed tar archive provided by
 * the layer below, reading and writing it in place without unpacking the archive.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code tar-entry=PATH} (required)</dt>
 * <dd>The entry to serve, exactly as the archive names it ({@code tar tf ARCHIVE} lists the names). If
 *     the archive holds the name more than once (appended with {@code tar -r}), the last one is
 *     served, as {@code tar -x} would leave it.</dd>
 * <dt>{@code tar-limit=SIZE} (default 0, no limit)</dt>
 * <dd>Read at most this many bytes of the archive while looking for the entry, so a huge or hostile
 *     archive cannot make the search read forever; an entry whose header lies beyond is not found.</dd>
 * <dt>{@code tar=PROGRAM}</dt>
 * <dd>Accepted so nbdkit's command lines work, and ignored: the archive is read with Apache Commons
 *     Compress, not by running GNU tar.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * The first connection reads the archive's headers through the layer below (skipping entries' data
 * without reading it) to find where the entry's bytes are; every connection then serves that range of
 * the layer below: reads, writes, trim, zero, cache and extents are moved by the entry's offset and
 * extents are cut to the entry. Every capability (write, flush, FUA, trim, zero, multi-conn…) is the
 * layer below's, so use {@code -r} to be sure the archive is not changed. The entry cannot be resized.
 * An entry that is missing, a directory, a link or a GNU sparse file fails the connection with EINVAL
 * (naming the reason); a malformed or truncated archive with EIO.
 *
 * <h2>Limits</h2>
 * The entry is located once for the whole server, as in nbdkit: under a layer that serves a different
 * archive for each export name, every export uses the location found by the first connection. Only
 * uncompressed archives: put {@code --filter=gzip} or {@code --filter=xz} below this filter for a
 * compressed one (read-only then). Writing does not update anything else in the archive (an OVA's
 * manifest checksums, for example).
 */
package io.nbd4j.filters.tar;
