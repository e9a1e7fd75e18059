/**
 * The nozero filter ({@code --filter=nozero}): takes away efficient zeroing, to measure what
 * {@code NBD_CMD_WRITE_ZEROES} and fast zero buy, or to test how clients and servers fall back.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code zeromode=none|emulate|notrim|plugin} (default {@code none})</dt>
 * <dd>{@code none}: write-zeroes (and fast zero) is not advertised, so clients write zeroes as data.
 *     {@code emulate}: write-zeroes is advertised, but done by writing zeroes whatever the plugin can
 *     do. {@code notrim}: zero requests reach the plugin without the may-trim flag, so zeroing never
 *     punches holes. {@code plugin}: zero requests reach the plugin unchanged (to try
 *     {@code fastzeromode} alone). {@code notrim} and {@code plugin} refuse a writable connection
 *     whose layer below hides write-zeroes.</dd>
 * <dt>{@code fastzeromode=default|none|slow|ignore} (default {@code default})</dt>
 * <dd>{@code none}: fast zero is not advertised. {@code slow}: it is advertised and every fast zero
 *     fails at once with {@code ENOTSUP}. {@code ignore} (unsafe): it is advertised and the fast flag is
 *     dropped, so a "fast" zero may take as long as writing. {@code default}: with
 *     {@code zeromode=emulate}, as {@code slow}; with {@code notrim} or {@code plugin}, the plugin's
 *     answer; with {@code none}, nothing is advertised anyway.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Only write-zeroes changes; everything else, multi-conn included, is the layer below's, and reads may
 * still be sent straight from the plugin's memory. Emulated zeroing writes at most 1 MiB at a time.
 * Read-only connections are never refused.
 */
package io.nbd4j.filters.nozero;
