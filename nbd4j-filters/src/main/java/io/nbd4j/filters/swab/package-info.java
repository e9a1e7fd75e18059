/**
 * The swab filter ({@code --filter=swab}): reverses the byte order of every 16, 32 or 64-bit word of
 * the disk, for images written by machines that store words the other way round (an Atari Falcon's
 * IDE drive swaps each pair of bytes), or to turn the pattern plugin's big-endian numbers
 * little-endian.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code swab-bits=8|16|32|64} (default 16)</dt>
 * <dd>The word size. 8 turns the filter into a pass-through.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * The size is rounded down to whole words. Each request must start and end on a word boundary, or it
 * fails with {@code EINVAL}; the minimum block size advertised is the word size (or the layer below's,
 * if larger). To read single bytes, put the blocksize filter in front. Block status is rounded to whole
 * words: a word is a hole, or reads as zeroes, only if all its bytes do. Trim, zero and cache pass
 * through; capabilities, multi-conn included, are the layer below's. A write is swapped into a copy,
 * so the client's buffer is never changed.
 */
package io.nbd4j.filters.swab;
