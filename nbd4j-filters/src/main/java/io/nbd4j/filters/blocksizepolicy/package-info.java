/**
 * The blocksize-policy filter ({@code --filter=blocksize-policy}): advertises block size constraints
 * for a layer below that has none (or other ones), and chooses what happens to clients that do not
 * keep to them. Put the blocksize filter below it to turn the requests of such clients into ones the
 * layer below accepts: {@code --filter=blocksize-policy --filter=blocksize PLUGIN blocksize-minimum=64K
 * minblock=64K}.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code blocksize-minimum=SIZE}, {@code blocksize-preferred=SIZE}, {@code blocksize-maximum=SIZE}</dt>
 * <dd>The sizes to advertise: the minimum a power of 2 up to 64K, the preferred a power of 2 from 512
 *     to 32M, the maximum a multiple of the minimum (or 4294967295), in that order of size. Those left
 *     out are the layer below's; if it has none, 1, 4K, and (without a {@code blocksize-write-disconnect})
 *     no maximum.</dd>
 * <dt>{@code blocksize-error-policy=allow|error} (default {@code allow})</dt>
 * <dd>What to do with a request shorter than the minimum, not aligned to it, or (reads and writes)
 *     longer than the maximum: {@code allow} passes it on to the layer below; {@code error} refuses it
 *     with EINVAL before the layer below sees it.</dd>
 * <dt>{@code blocksize-write-disconnect=SIZE}</dt>
 * <dd>A client that writes more than SIZE at once is disconnected at once (as qemu-nbd does beyond 32M),
 *     whatever the advertised maximum and the error policy. With no maximum configured and none from
 *     the layer below, the maximum advertised is SIZE rounded down to the minimum.</dd>
 * </dl>
 * The server itself checks no block size on connections through this filter (it would otherwise refuse
 * misaligned and oversized requests before any layer): the policy decides, as in nbdkit, where the
 * server never checks them. Requests over the server's own payload limit (64M) are still refused.
 *
 * <h2>Beyond nbdkit</h2>
 * A maximum that is no multiple of the minimum is refused at start (nbdkit 1.32's check compares the
 * maximum with itself and lets it through, to fail later).
 */
package io.nbd4j.filters.blocksizepolicy;
