/**
 * The blocksize filter ({@code --filter=blocksize}): clients may send requests of any alignment and
 * size (it advertises a minimum of 1 and no maximum), and the layer below only sees requests aligned to
 * {@code minblock} and no larger than its limits. Combine it with the blocksize-policy filter above to
 * advertise other sizes to clients.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code minblock=SIZE}</dt>
 * <dd>The alignment of every request below, a power of 2 up to 64K; at least the layer below's own
 *     minimum (default: that minimum, or 1). Reads are rounded out to whole blocks; the unaligned head
 *     and tail of a write or zero are read, modified and written back as whole blocks; the unaligned
 *     head and tail of a trim are left alone. The size is cut down to a whole number of blocks (the
 *     truncate filter can round it up instead).</dd>
 * <dt>{@code maxdata=SIZE}</dt>
 * <dd>The largest read, write or cache request below, a multiple of {@code minblock} (default 64M, or
 *     {@code maxlen} if smaller, and never more than the layer below's maximum); larger ones are split.</dd>
 * <dt>{@code maxlen=SIZE}</dt>
 * <dd>The largest trim, zero or extents request below, a multiple of {@code minblock} (default 4G minus
 *     {@code minblock}); larger ones are split (extents just answer for the first part).</dd>
 * </dl>
 * FUA on a layer below that only emulates it becomes one flush after all the pieces. A fast zero that
 * would need more than one call below (unaligned, or longer than {@code maxlen}) fails at once with
 * ENOTSUP. Extents are asked for whole blocks: a block is a hole, or zero, only if all of it is.
 *
 * <p><b>Concurrency.</b> A read-modify-write holds its block exclusively, server-wide, from its read to
 * its write, while whole-block writes, zeroes and trims hold the blocks they cover shared: those run in
 * parallel with each other and with reads, but never inside a read-modify-write of one of their blocks,
 * whose write would undo them, and two read-modify-writes of one block take turns.
 *
 * <h2>Beyond nbdkit</h2>
 * nbdkit serializes every read-modify-write on one lock and excludes every whole-block write while one
 * runs; here only requests touching the same 64K granule wait for each other, and reads never wait
 * (nbdkit makes unaligned reads take turns through one bounce buffer). A limit smaller than the layer
 * below's minimum block is raised to one block, so that splitting always makes progress.
 */
package io.nbd4j.filters.blocksize;
