/**
 * The checkwrite filter ({@code --filter=checkwrite}): checks a copying tool. Every write becomes a
 * check that what is written matches what the disk already holds, so copying a disk onto itself
 * through the filter proves the tool copied every byte right:
 * {@code nbd4j -U - --filter=checkwrite data "@32768 1" --run 'nbdcopy "$uri" "$uri"'}.
 *
 * <h2>Parameters</h2>
 * None; every parameter goes to the plugin.
 *
 * <h2>Behaviour</h2>
 * The plugin is opened read-only and never written. The filter advertises write, flush, native FUA,
 * trim, native zero, fast zero and multi-conn whatever the plugin can do. A write succeeds (doing
 * nothing) if the plugin holds the same bytes, else fails with {@code EIO}; trim and zero succeed if
 * the range reads as zeroes, which block status answers without reading where the plugin has it, so
 * sparseness may differ between the copies (a copy that punches holes and one that writes zeroes both
 * pass). A fast zero over data fails with {@code ENOTSUP} instead of reading. Flush does nothing. The
 * layer below is read in chunks of at most 1 MiB.
 */
package io.nbd4j.filters.checkwrite;
