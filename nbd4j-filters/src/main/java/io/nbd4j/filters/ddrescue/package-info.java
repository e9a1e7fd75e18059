/**
 * The ddrescue filter ({@code --filter=ddrescue}): serves an image recovered with GNU ddrescue so that
 * reading what ddrescue could not rescue fails with EIO, as the bad sectors of the original disk did,
 * instead of returning the zeroes ddrescue left there: useful to find which files or filesystem
 * structures the bad sectors hit, or to try fsck on the image.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code ddrescue-mapfile=FILE} (required)</dt>
 * <dd>The ddrescue mapfile, read at start: after comments ({@code #}) and ddrescue's status line, lines
 *     {@code POS SIZE STATUS} with C-style numbers. A read succeeds only if every byte of it lies in
 *     ranges with status {@code +} (finished).</dd>
 * </dl>
 * The export is read-only, and cache requests are not advertised.
 *
 * <h2>Beyond nbdkit</h2>
 * Rescued ranges that touch or overlap are joined, so a read spanning two of them succeeds (nbdkit
 * wants it inside one mapfile line). A missing mapfile parameter, an unreadable file or a negative
 * number is an error at start (nbdkit 1.32 starts without a mapfile and fails every read). Lines that
 * are not {@code POS SIZE STATUS} are ignored, as in nbdkit.
 */
package io.nbd4j.filters.ddrescue;
