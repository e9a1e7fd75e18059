/**
 * The cow filter ({@code --filter=cow}): a temporary writable copy of a disk, over a layer below that is
 * opened read-only and never written. Writes, zeroes and trims land in an overlay that is thrown away
 * when the server stops; to keep the changes, copy the disk out (nbdcopy) or make a qcow2 diff with
 * {@code qemu-img create -F raw -b nbd://... -f qcow2 diff.qcow2} then {@code qemu-img rebase -F raw -b
 * base.img -f qcow2 diff.qcow2} while the server still runs.
 *
 * <p><b>Storage.</b> One overlay per export name, shared by every connection to it, in a temporary file
 * under {@code $TMPDIR} (default {@code /var/tmp}) deleted as soon as it is opened. Each block of the
 * overlay is absent (read from below), data (read from the file), trimmed or zeroed (read as zeroes).
 * The layer below must serve the same bytes to every connection and must not change size.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code cow-block-size=SIZE} (default 64K)</dt>
 * <dd>The overlay's block size, a power of 2 from 4K to 1G; it becomes the preferred block size when
 *     the layer below allows requests that large. Part of a block is changed by reading the whole block
 *     (from the overlay or below), changing it and writing it back.</dd>
 * <dt>{@code cow-on-cache=true|false} (default false)</dt>
 * <dd>Keep what a cache (prefetch) request fetches from below in the overlay. Without it, cache requests
 *     for absent blocks pass to the layer below (emulated by reads if it only emulates them).</dd>
 * <dt>{@code cow-on-read=true|false|/PATH} (default false)</dt>
 * <dd>Keep what a read fetches from below in the overlay, so it is read from below once; with
 *     {@code /PATH}, only while that file exists.</dd>
 * </dl>
 * The filter can always write, trim, zero, flush (which does nothing: the overlay is never durable),
 * cache and report extents, whatever the layer below can do, and FUA is native (and needs nothing).
 * A fast zero fails at once with ENOTSUP. Multi-conn is advertised: every connection uses the one
 * overlay. Extents come block by block: written blocks are data, trimmed ones holes that read as
 * zeroes, absent ones as the layer below reports them.
 *
 * <h2>Beyond nbdkit</h2>
 * Every change to a block, whole or partial, is made under that block's lock, so concurrent writes to
 * one block never undo each other (nbdkit lets a whole-block write slip between the read and the write
 * of another request's read-modify-write), and a block fetched for {@code cow-on-read} is kept only if
 * nothing was written to it meanwhile (nbdkit can overwrite a newer write with the old data). A zero
 * of whole blocks takes no space in the overlay and is reported as zero (as a hole too if trimming was
 * allowed), where nbdkit writes zeroes and reports data. nbdkit keeps one overlay for the whole server,
 * shared by every export name; here each export has its own. Write zeroes is advertised (with fast
 * zero, which always fails with ENOTSUP): nbdkit 1.32 passes on the answer of the layer below, opened
 * read-only, so it advertises neither and clients write zero blocks instead.
 *
 * <h2>Limits</h2>
 * The block size is at most 1G (nbdkit allows 2G). Trimmed or zeroed blocks keep their old bytes in
 * the overlay file until written again (no hole is punched).
 */
package io.nbd4j.filters.cow;
