/**
 * The {@code tmpdisk} plugin: each client connection gets its own fresh temporary file system.
 *
 * <pre>
 * nbd4j tmpdisk [size=]SIZE [type=TYPE] [label=LABEL]
 * nbd4j tmpdisk [size=]SIZE command='SCRIPT' [VAR=VALUE ...]
 * </pre>
 *
 * <ul>
 *   <li>{@code size=SIZE} (magic key, required): the disk size.</li>
 *   <li>{@code type=TYPE}, {@code label=LABEL}: without {@code command=}, each client gets a sparse
 *       file of {@code size} bytes formatted by {@code mkfs -t TYPE} (ext4 by default) with that label
 *       (none by default).</li>
 *   <li>{@code command='SCRIPT'}: run by {@code /bin/sh -c} for every connection instead, to create
 *       the disk. It sees {@code $disk} (the path to create; it does not exist yet), {@code $size}
 *       (bytes) and every other {@code key=value} given to the plugin as a variable of the same name.
 *       The disk served is whatever file the command leaves at {@code $disk}, of whatever size.</li>
 * </ul>
 *
 * <p>The default script and the running of either are {@link io.nbd4j.plugins.common.DiskCommand}'s,
 * shared with the ondemand plugin. A failing mkfs or command refuses the connection with its exit
 * status and error output.
 *
 * <p>Disks live in a private directory under {@code $TMPDIR} (default {@code /var/tmp}). The directory
 * is removed as soon as the disk is open, so a killed server leaves nothing behind; the space is freed
 * when the connection closes. The data path is the file plugin's ({@link io.nbd4j.plugins.file.DiskFile}):
 * extents, trim, fast zero, FUA and flush as there.
 *
 * <p>Multi-conn is never advertised, because every connection sees a different disk; for the same
 * reason the multi-conn filter must not be put in front of this plugin (it would tell clients that
 * their connections share data when they do not).
 *
 * <p>Differences from nbdkit: variables reach the command through its environment (nbdkit writes
 * shell assignments), and a key that cannot be a variable name is refused; flush and FUA reach the
 * disk (nbdkit ignores them on these throwaway disks).
 */
package io.nbd4j.plugins.tmpdisk;
