/**
 * The {@code tmpdisk} plugin: each client connection gets its own fresh temporary disk.
 *
 * <pre>
 * nbd4j tmpdisk [size=]SIZE
 * nbd4j tmpdisk [size=]SIZE command='SCRIPT' [VAR=VALUE ...]
 * </pre>
 *
 * <ul>
 *   <li>{@code size=SIZE} (magic key, required): the disk size. Without {@code command=} each client gets
 *       an empty sparse file of this size.</li>
 *   <li>{@code command='SCRIPT'}: run by {@code /bin/sh -c} for every connection to create the disk. It
 *       sees {@code $disk} (the path to create; it does not exist yet), {@code $size} (bytes) and every
 *       other {@code key=value} given to the plugin as a shell variable of the same name. The disk
 *       served is whatever file the command leaves at {@code $disk}, of whatever size. A non-zero exit
 *       refuses the connection with the command's output in the message.</li>
 * </ul>
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
 * <p>Differences from nbdkit: no disk is formatted by default (nbdkit runs {@code mkfs -t ext4}); the
 * {@code type=} and {@code label=} keys are only shell variables for {@code command=}, and giving
 * variables without {@code command=} is a configuration error rather than silently ignored.
 */
package io.nbd4j.plugins.tmpdisk;
