/**
 * The gzip filter ({@code --filter=gzip}): serves the decompressed contents of a gzip file provided by
 * the layer below (a local file, a web server through curl, a tar entry…), read-only.
 *
 * <h2>Parameters</h2>
 * None. The decompressed image is kept in a hidden temporary file in {@code $TMPDIR} (default
 * {@code /var/tmp}), unlinked as soon as it is created.
 *
 * <h2>Behaviour</h2>
 * gzip cannot be read from the middle, so the first connection decompresses the whole file (through
 * the layer below, opened read-only) before its handshake finishes; later connections wait for it and
 * then share the result. Concatenated gzip members are read as one stream. A file that is not valid
 * gzip fails the connection with EIO (and the next connection tries again). Writes, trim and zero are
 * not advertised; flush passes through; cache reads the range (warming the temporary file); every
 * connection sees the same bytes, so multi-conn is advertised.
 *
 * <h2>Beyond nbdkit</h2>
 * Runs of zeroes (in 4 KiB blocks) are not written to the temporary file, which is sparse, and
 * extents report them as holes reading as zeroes (nbdkit reports everything as data), so
 * {@code nbdcopy} and {@code qemu-img convert} skip them. Reads of the image run in parallel.
 *
 * <h2>Limits</h2>
 * The temporary directory needs room for the image's data (not its runs of zeroes). There is one image
 * for the whole server, as in nbdkit: under a layer that serves a different file for each export name,
 * every export shows the file of the first connection (keeping one per name would let a client fill
 * the temporary directory by asking for many names).
 */
package io.nbd4j.filters.gzip;
