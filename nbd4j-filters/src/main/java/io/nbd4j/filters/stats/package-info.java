/**
 * The stats filter ({@code --filter=stats}): counts what clients do and writes the totals to a file
 * once, when the server stops, in the format of nbdkit's stats filter.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code statsfile=FILE} (required)</dt>
 * <dd>Where the statistics go; a relative name is resolved against the starting directory. The file is
 *     created (or emptied) when the server gets ready, so a bad path stops it from starting.</dd>
 * <dt>{@code statsappend=BOOL} (default false)</dt>
 * <dd>Append to the file instead of replacing it.</dd>
 * <dt>{@code statsthreshold=PERCENT} (0 to 100, default 95)</dt>
 * <dd>For read, write, trim, zero, extents and cache, list request size classes (by bit length) and
 *     offset alignments until this share of requests is covered; 0 leaves the breakdown out.</dd>
 * </dl>
 *
 * <h2>Output</h2>
 * A {@code total:} line (operations other than cache; bytes of read, write, trim and zero), then one line
 * per operation that ran, in the order read, write, trim, zero, extents, cache, flush:
 * {@code NAME: N ops, SECONDS s, SIZE, RATE/s op, RATE/s total}, each followed by its breakdown and a
 * blank line. Only successful operations count; time is spent below this filter. Counters are
 * lock-free ({@code LongAdder}), so counting costs connections no lock.
 *
 * <p>Where we differ from nbdkit 1.32: size classes with the same request count are all listed (nbdkit
 * keeps only one of them) and ties list the larger size first; the {@code other sizes} line reports
 * the bytes of the classes it stands for (nbdkit reports the bytes of all classes).
 */
package io.nbd4j.filters.stats;
