/**
 * The {@code split} plugin: several files concatenated, in the order given, into one disk.
 *
 * <pre>
 * nbd4j split [file=]FILE1 [file=]FILE2 ...
 * </pre>
 *
 * <ul>
 *   <li>{@code file=FILENAME} (magic key, at least once): a regular file to append. Relative paths are
 *       made absolute when read.</li>
 * </ul>
 *
 * <p>The disk size is the sum of the files' sizes when a connection opens; the files should not change
 * size while served. Requests that cross from one file into the next are split at the boundary.
 * Opened read-only when the connection is read-only or any file cannot be written.
 *
 * <p>Thread model PARALLEL: unlike nbdkit (which serializes this plugin's requests), every file access
 * is positional, so no request depends on a shared file offset. The files are opened with the file
 * plugin's {@link io.nbd4j.plugins.file.DiskFile} and shared by all connections, so flush covers every
 * connection's writes and multi-conn is advertised; and, beyond nbdkit, extents, trim (hole punching)
 * and fast zeroing work per file.
 */
package io.nbd4j.plugins.split;
