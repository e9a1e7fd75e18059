/**
 * The {@code ondemand} plugin: clients name an export and get a file system of their own under that
 * name, made on first use and kept in a directory on the server, so it survives disconnects and
 * server restarts.
 *
 * <pre>
 * nbd4j ondemand dir=EXPORTSDIR [size=]SIZE [wait=true] [type=FS] [label=LABEL]
 * nbd4j ondemand dir=EXPORTSDIR [size=]SIZE [wait=true] command='SCRIPT' [VAR=VALUE ...]
 * </pre>
 *
 * <ul>
 *   <li>{@code dir=EXPORTSDIR} (required): where the disks live, one file per export name; the empty
 *       export name is the file {@code default}.</li>
 *   <li>{@code size=SIZE} (magic key, required): the size of each new disk; with {@code command=}
 *       only the value of {@code $size}, the served size being whatever the command made.</li>
 *   <li>{@code type=FS}, {@code label=LABEL}: the file system mkfs makes (ext4 by default, any
 *       {@code mkfs -t} type) and its label (none by default).</li>
 *   <li>{@code command='SCRIPT'}: shell commands run instead of mkfs, given {@code $disk} (the path to
 *       create, ending in the export name), {@code $size} and every other {@code key=value} as a
 *       variable of the same name. A non-zero exit refuses the client, naming the status and the
 *       command's error output.</li>
 *   <li>{@code wait=true}: a client asking for an export another client is using waits until it is
 *       free; by default it is refused with "filesystem is locked by another client".</li>
 * </ul>
 *
 * <p><b>Export names.</b> A name longer than 255 bytes or holding {@code .}, {@code /} or {@code :}
 * is refused. {@code NBD_OPT_LIST} shows the default export first, then every other entry of the
 * directory that is not a subdirectory and whose name a client could ask for, in the directory's own
 * order.
 *
 * <p><b>Locking.</b> A client that may write holds an exclusive claim on its export while connected, a
 * read-only client (the server's {@code -r}) a shared one: Linux open-file-description locks, the
 * kind nbdkit's plugin takes, so the claim also holds against other processes serving the same
 * directory, nbdkit included, and goes away with the connection. Creation is serialized per name and
 * atomic (see {@link io.nbd4j.plugins.ondemand.ExportFiles}).
 *
 * <p>Data path: the file plugin's ({@link io.nbd4j.plugins.file.DiskFile}): flush is
 * {@code fdatasync}, FUA native, trim punches holes. Multi-conn is not advertised: a second
 * connection to the same export is refused or waits, so clients cannot share one.
 *
 * <p><b>Beyond nbdkit.</b> Extents, zeroing and cache requests are served (from the file's holes,
 * with fallocate, and as readahead); a failed command leaves no file behind; an {@code NBD_OPT_INFO}
 * probe takes no lock, so listing or probing an export in use works; the list leaves out
 * subdirectories.
 *
 * <p><b>Limits.</b> Linux only (the locks are Linux's). A server killed while a command runs leaves
 * the hidden {@code .nbd4j-creating-*} directory of that creation in the exports directory. The
 * plugin does not remove disks; clients can create as many as they like, so serve it only to trusted
 * clients.
 */
package io.nbd4j.plugins.ondemand;
