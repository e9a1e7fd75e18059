/**
 * The partitioning plugin ({@code nbd4j partitioning FILE ...}): a virtual disk with a partition table
 * of its own making, each partition one of the files named, so a bare file system image becomes a
 * partitioned disk without copying. The opposite of the partition filter; to join files without a
 * table, use the split plugin.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code [file=]FILENAME} (required; repeatable, in order)</dt>
 * <dd>A file holding one partition. A file may not be empty.</dd>
 * <dt>{@code partition-type=mbr|gpt} ({@code dos} means {@code mbr})</dt>
 * <dd>The table. Without it: MBR for up to four files and about 2 TB in all, else GPT. An MBR disk with
 *     more than four files has three primary partitions, an extended partition 4, and the rest as
 *     logical partitions 5 and up. A GPT disk has a protective MBR and a backup table at the end, and
 *     128 entries (more in steps of 128 for more files, which not every client reads).</dd>
 * <dt>{@code alignment=N} (default 1M)</dt>
 * <dd>The files named after it start at a multiple of N bytes (a multiple of 512, at most 1M); the gap
 *     reads as zeroes.</dd>
 * <dt>{@code mbr-id=0xN|default}</dt>
 * <dd>The MBR type byte of the files named after it (default 0x83, Linux).</dd>
 * <dt>{@code type-guid=GUID|default}</dt>
 * <dd>The GPT type GUID of the files named after it (default 0FC63DAF-8483-4772-8E79-3D69D8477DE4,
 *     Linux file system data).</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * The layout is fixed at start from the files' sizes; each partition is rounded up to whole 512-byte
 * sectors with zeroes. Reads and writes go to the files; the partition tables and padding may be
 * written only with the bytes already there (else {@code EIO}, and nothing of the request is written).
 * Flush syncs every file; FUA is emulated with it. Cache is emulated by reading. Multi-conn is
 * advertised: every connection uses the same open files. The first partition is marked bootable.
 * Thread model: parallel.
 *
 * <h2>Beyond nbdkit</h2>
 * Block status is answered: the tables are data, padding is a hole, and each file reports its own
 * holes (nbdkit reports everything as data). A write is checked whole before any of it is written. The
 * GPT disk GUID is random (nbdkit's is all zeroes), and a GPT partition's name is the file's base name
 * (nbdkit puts the path as given, showing clients where the files lie on the server).
 *
 * <h2>Limits</h2>
 * Sectors are 512 bytes. A file that shrinks while served fails reads past its new end with EIO.
 */
package io.nbd4j.plugins.partitioning;
