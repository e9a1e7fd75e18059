/**
 * The extentlist filter ({@code --filter=extentlist}): answers block status from a static list of
 * extents in a file, for plugins that cannot tell which parts of the disk are allocated (ssh, curl)
 * when that is known from elsewhere (e.g. {@code xfs_bmap} on the source).
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code extentlist=FILENAME} (required)</dt>
 * <dd>The file, read once when the server starts: one extent a line, {@code OFFSET LENGTH [TYPE]},
 *     separated by spaces or tabs. Offset and length are sizes ({@code 1M}). The type is a number
 *     (0 data, 1 hole, 2 zero, 3 both), the words {@code hole} and {@code zero} separated by a comma,
 *     or left out for data. Lines may come in any order but must not overlap; whatever they leave
 *     uncovered is a hole that reads as zeroes.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Block status is always offered and answered from the list alone; the plugin is never asked. The
 * list is not updated by writes: a client may write into a "hole" and then skip reading it back, so
 * the filter is safe only for read-only use ({@code -r}). Everything else, multi-conn included, is the
 * layer below's; reads may still be sent straight from the plugin's memory.
 *
 * <h2>Beyond nbdkit</h2>
 * A bad line (unknown type word, a numeric type above 3) stops the server at start, naming the file
 * and line; nbdkit passes such types on.
 */
package io.nbd4j.filters.extentlist;
