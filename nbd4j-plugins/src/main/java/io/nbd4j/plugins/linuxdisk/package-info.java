/**
 * The {@code linuxdisk} plugin: a read-only virtual disk with a GUID partition table and one Linux
 * partition holding an ext2, ext3 or ext4 file system made from a host directory.
 *
 * <pre>
 * nbd4j linuxdisk [dir=]DIRECTORY [label=LABEL] [type=ext2|ext3|ext4] [size=[+]SIZE]
 * </pre>
 *
 * <ul>
 *   <li>{@code dir=DIRECTORY} (magic key, required): what the file system holds, as {@code mke2fs -d}
 *       copies it (links, devices, owners, modes included).</li>
 *   <li>{@code label=LABEL}: the file system label, up to 16 bytes.</li>
 *   <li>{@code type=}: {@code ext2} (default), {@code ext3} or {@code ext4}.</li>
 *   <li>{@code size=SIZE}: the file system's size; {@code size=+SIZE}: that much more than the
 *       estimate (see {@link io.nbd4j.plugins.linuxdisk.Ext2FileSystem}); by default the estimate.</li>
 * </ul>
 *
 * <p><b>Behaviour.</b> In {@code getReady}, {@code mke2fs -q -F -t TYPE [-L LABEL] -d DIR} formats a
 * sparse temporary file under {@code $TMPDIR} (default {@code /var/tmp}), whose name is removed once
 * it is open. {@link io.nbd4j.plugins.linuxdisk.GptDisk} lays the disk out around it: protective MBR,
 * GPT header and entries, the partition from sector 2048 (type Linux file system, legacy BIOS
 * bootable, a random unique GUID), backup entries and header. Read-only, multi-conn, parallel; block
 * status reports the gap before the partition as a hole. A failing {@code mke2fs} stops the start with
 * its error output.
 *
 * <p><b>Beyond nbdkit.</b> A random disk GUID in the GPT header (nbdkit leaves it zero); the label's
 * length and the type are checked at start.
 */
package io.nbd4j.plugins.linuxdisk;
