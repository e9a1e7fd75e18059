/**
 * The offset filter ({@code --filter=offset}): serves the bytes {@code [offset, offset + range)} of the
 * layer below as a whole disk, e.g. one partition of a disk image whose start and length are known.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code offset=OFFSET} (default 0)</dt>
 * <dd>Where the served range starts, a size with the usual suffixes ({@code 1M}).</dd>
 * <dt>{@code range=LENGTH} (default: to the end)</dt>
 * <dd>How many bytes are served; without it, everything from {@code offset} to the end of the layer
 *     below.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Every request is moved by {@code offset}; block status is clipped to the range. A range that does
 * not fit inside the layer below refuses the connection (the size is read for each connection, so a
 * file that grew may fit later); to make a disk larger, put the truncate filter below this one.
 * Every capability, multi-conn included, is the layer below's: the filter keeps no state, so a layer
 * that is multi-conn consistent stays so. Reads and writes cost one addition (a read may still be sent
 * straight from the plugin's memory).
 */
package io.nbd4j.filters.offset;
