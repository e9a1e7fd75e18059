/**
 * The {@code floppy} plugin: a read-only virtual disk with one FAT32 partition holding the files of a
 * host directory, built in memory without any external tool.
 *
 * <pre>
 * nbd4j floppy [dir=]DIRECTORY [label=LABEL] [size=SIZE]
 * </pre>
 *
 * <ul>
 *   <li>{@code dir=DIRECTORY} (magic key, required): its regular files and subdirectories appear at the
 *       root of the file system, with long (VFAT) names and their times; symbolic links and special
 *       files are left out.</li>
 *   <li>{@code label=LABEL}: the volume label, up to 11 characters of what DOS names allow (no
 *       lower case); {@code NBDKITFLOPY} by default, as in nbdkit.</li>
 *   <li>{@code size=SIZE}: the whole disk's size; by default just large enough.</li>
 * </ul>
 *
 * <p><b>Behaviour.</b> At start the directory is scanned ({@link io.nbd4j.plugins.floppy.SourceTree}), the
 * layout planned ({@link io.nbd4j.plugins.floppy.FatGeometry}) and the disk assembled from regions
 * ({@link io.nbd4j.plugins.floppy.FatImage}): a DOS partition table with a type 0x0C partition at 1 MiB,
 * the boot sector and its backup, the FS information sector, two views of one computed FAT
 * ({@link io.nbd4j.plugins.floppy.FatTable}), the directory tables
 * ({@link io.nbd4j.plugins.floppy.DirectoryTable}, 8.3 names from
 * {@link io.nbd4j.plugins.floppy.ShortNames}) and each file's clusters, read from the host file when a
 * client reads them. Every directory and file lies in consecutive clusters. Read-only, multi-conn,
 * parallel; block status reports unused space as holes.
 *
 * <p><b>Always FAT32 by the rule readers apply.</b> FAT readers decide the FAT width from the number
 * of clusters alone, so the file system always has at least 65525 clusters (512-byte clusters for
 * small trees, up to 16 KiB for large ones): the smallest floppy is about 33 MiB, nearly all free
 * space that costs nothing. nbdkit's fixed 16 KiB clusters give small floppies that mtools refuses;
 * ours pass {@code fsck.fat -n} and read with mtools and Linux.
 *
 * <p><b>Beyond nbdkit.</b> Extents; {@code ..} entries point at cluster 0 for the root, empty files
 * own no cluster, and 8.3 names are always valid and unique (nbdkit's fail {@code fsck.fat} on those);
 * entries sorted by name, so the same directory gives the same image.
 *
 * <p><b>Limits.</b> Files up to 4 GiB - 1, 65536 entries per directory (long-name entries count), a
 * disk up to 2 TiB (the partition table's reach). Leave the directory alone while serving: a file that
 * shrank makes reads of it fail with EIO, one that grew is served at its old length. Names are decoded
 * with the JVM's file name encoding (UTF-8 under a UTF-8 locale).
 */
package io.nbd4j.plugins.floppy;
