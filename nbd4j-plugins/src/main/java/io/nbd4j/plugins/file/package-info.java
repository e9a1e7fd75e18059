/**
 * The {@code file} plugin: serves a file or block device, or the files of a directory.
 *
 * <pre>
 * nbd4j file [file=]FILENAME [cache=default|none] [fadvise=normal|random|sequential]
 * nbd4j file dir=DIRECTORY [symlinks=refuse|inside] [cache=…] [fadvise=…]
 * nbd4j file fd=N …      nbd4j file dirfd=N …
 * </pre>
 *
 * <h2>Parameters</h2>
 * Exactly one of {@code file=}, {@code dir=}, {@code fd=} and {@code dirfd=} is required; relative paths
 * are made absolute when the parameter is read.
 * <ul>
 *   <li>{@code file=FILENAME} (magic key): a regular file or block device. The export name the client
 *       asks for is ignored.</li>
 *   <li>{@code dir=DIRECTORY} (alias {@code directory=}, which nbdkit also accepts): every regular file and block device directly inside the directory is an
 *       export named after it, listed by {@code NBD_OPT_LIST}. The directory is read again for every list
 *       and open, so files added later are served. There is no default export: the empty name is
 *       refused. A name that is not a plain entry name ({@code ..}, anything with {@code /}), a
 *       directory, a missing file or any other special file is refused before anything is opened.</li>
 *   <li>{@code fd=N}, {@code dirfd=N}: like {@code file=} and {@code dir=}, for a file or directory the
 *       parent process opened and passed down as descriptor N. The file is reopened through
 *       {@code /proc/self/fd/N} (the same inode, with the server's own permissions, so a descriptor that
 *       only a more privileged parent could open cannot be served); a descriptor opened read-only is
 *       served read-only.</li>
 *   <li>{@code symlinks=refuse|inside} (dir= mode): by default symbolic links are neither listed nor
 *       served (nbdkit follows them, even out of the directory). {@code inside} allows a link whose
 *       final target is a file directly in the same directory.</li>
 *   <li>{@code cache=default|none}: {@code none} keeps served data out of the page cache: a range read
 *       is dropped at once ({@code POSIX_FADV_DONTNEED}); a range written starts its write-back at once
 *       ({@code sync_file_range}) and is dropped when eight more writes have followed it.</li>
 *   <li>{@code fadvise=normal|random|sequential}: passed to {@code posix_fadvise} for the whole file
 *       when a connection opens it. Linux keeps read-ahead state per open file description, and reads go
 *       through the plugin's {@code FileChannel}, which is a separate description from the descriptor the
 *       advice is given on; so the hint reaches the page cache but not the channel's read-ahead window.</li>
 * </ul>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>Opened read-write, or read-only when the connection is read-only or the file cannot be written
 *       (then writes are refused with EPERM).</li>
 *   <li>All connections to the same file share one open file, so a flush ({@code fdatasync}) on any
 *       connection covers writes from all of them: multi-conn is advertised. FUA is native (write, then
 *       {@code fdatasync}). Thread model PARALLEL: all I/O is positional.</li>
 *   <li>Extents come from {@code lseek(SEEK_DATA/SEEK_HOLE)} on files (not block devices); trim punches
 *       holes ({@code BLKDISCARD} on block devices); zero uses, in order, a punched hole (only when the
 *       client allows trimming), {@code FALLOC_FL_ZERO_RANGE}, punch-then-reallocate, and
 *       {@code BLKZEROOUT} (block devices, not for fast-zero requests). When none works the server writes
 *       zeroes, or a fast-zero request fails with ENOTSUP. A call that the file system does not support
 *       ({@code EOPNOTSUPP}) is remembered per file and not tried again.</li>
 *   <li>Reads of a regular file go to the socket from a read-only shared mapping of the file
 *       ({@link io.nbd4j.spi.Handle#readView}, see {@code FileMapping}): one copy, page cache to socket,
 *       and no {@code pread}. The mapping sees the page cache, so every write (this server's or another
 *       process's) is seen by the next read as with {@code pread}. Reads past the size at open, across
 *       two 1 GiB windows, of block devices, and all reads under {@code cache=none} use {@code pread}.
 *       If another process shrinks the file, a read of pages that are gone fails with EIO (each view's
 *       pages are touched before it is sent), one whose pages go while it is sent closes the
 *       connection, and bytes past the new end inside its last page read as zeroes (nbdkit: EIO).</li>
 *   <li>Cache requests become {@code POSIX_FADV_WILLNEED}. A block device reports whether it is
 *       rotational from sysfs; a regular file reports that it is not, as in nbdkit.</li>
 *   <li>{@code --dump-plugin} shows which native calls are bound ({@code file_extents=yes} …) and, when
 *       a file is configured, what that file supports.</li>
 * </ul>
 * Not supported from nbdkit: Windows devices.
 * The native calls need x86_64 or aarch64 Linux and native access enabled
 * ({@code --enable-native-access=ALL-UNNAMED}); without them the plugin still serves files through
 * {@code FileChannel}, with every extent reported as data and no fast zero.
 */
package io.nbd4j.plugins.file;
