/**
 * The truncate filter ({@code --filter=truncate}): changes the size of the disk. A smaller size hides
 * the end of the layer below; a larger one adds bytes that read as zeroes; rounding makes a size that
 * clients (or filters such as blocksize) want as a multiple of a block.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code truncate=SIZE}</dt>
 * <dd>The size served, smaller, equal or larger than the layer below's.</dd>
 * <dt>{@code round-up=N}</dt>
 * <dd>Round the size up to a multiple of {@code N}, a power of 2 up to 2^32-1.</dd>
 * <dt>{@code round-down=N}</dt>
 * <dd>Round the size down to a multiple of {@code N}, likewise.</dd>
 * </dl>
 * All three may be given; they apply in that order, each to the result of the one before.
 *
 * <h2>Behaviour</h2>
 * The layer below's size is read when each connection is prepared and fixed for the connection.
 * Past the layer below's end, reads return zeroes, writes succeed only if every byte is zero (else
 * {@code ENOSPC}, and nothing of the request is written), and trim, zero and cache succeed doing
 * nothing; block status reports a hole that reads as zeroes there, so block status is always offered,
 * and so is fast zero (zeroing the tail is free; inside the layer below, its own answer decides).
 * Everything else, multi-conn included, is the layer below's: the filter keeps no shared state. A read
 * wholly inside the layer below may still be sent straight from the plugin's memory.
 *
 * <h2>Beyond nbdkit</h2>
 * A write whose tail is not zero fails before any of it is written (nbdkit writes the part inside the
 * layer below first). Block status past the end of a disk that was only rounded up reports the right
 * length (nbdkit's computes it from {@code truncate=} even when that was not given).
 */
package io.nbd4j.filters.truncate;
