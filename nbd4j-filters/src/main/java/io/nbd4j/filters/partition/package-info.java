/**
 * The partition filter ({@code --filter=partition}): serves one partition of a partitioned disk image
 * as a whole disk, as {@code qemu-nbd -P} does. The opposite of the partitioning plugin.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code partition=N} (required)</dt>
 * <dd>The partition number, counting from 1. On an MBR disk, 1 to 4 are the primary partitions and 5
 *     and up the logical partitions inside the extended one; on a GPT disk, the N-th entry of the
 *     table.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * When a connection is prepared the filter reads the partition table through the layers below: a GPT
 * if sector 1 holds an {@code EFI PART} header (and the disk can hold a GPT), else an MBR if the boot
 * signature is there. A missing partition, an extended partition, a logical partition on a disk
 * without an extended one, a broken EBR chain, or a partition reaching past the disk's end refuses the
 * connection with a message naming the problem. Then every request is moved to the partition and block
 * status is clipped to it; capabilities, multi-conn included, are the layer below's (the filter keeps
 * no state). Sectors are 512 bytes.
 *
 * <h2>Beyond nbdkit</h2>
 * The GPT entries are read where the header says they are (nbdkit assumes sector 2), and a header
 * whose numbers would overflow is refused rather than trusted.
 */
package io.nbd4j.filters.partition;
