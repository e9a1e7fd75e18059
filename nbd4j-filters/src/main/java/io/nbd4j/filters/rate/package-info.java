/**
 * The rate filter ({@code --filter=rate}): limits the bandwidth that reads and writes use, for the
 * whole server and for each connection, with token buckets whose rates files can change while the
 * server runs.
 *
 * <h2>Parameters</h2>
 * Rates are bits per second, with nbdkit's size suffixes ({@code 10M} is 10 × 2<sup>20</sup> bits per
 * second); reads and writes are limited separately, each to the rate.
 * <dl>
 * <dt>{@code rate=BITSPERSEC}</dt><dd>The limit for all connections together.</dd>
 * <dt>{@code connection-rate=BITSPERSEC}</dt><dd>The limit for each connection.</dd>
 * <dt>{@code rate-file=FILE}, {@code connection-rate-file=FILE}</dt>
 * <dd>A file whose first line is a rate: while the server runs it replaces the rate above (a missing
 *     or unreadable file keeps the last rate; write the file atomically, e.g. with {@code mv}). It is
 *     read at most every tenth of a second.</dd>
 * <dt>{@code burstiness=SECS} (default 2.0)</dt>
 * <dd>The buckets' capacity in seconds at their rate: after a pause, a client may go this many
 *     seconds' worth of bits faster.</dd>
 * </dl>
 * Without a rate or a rate file the filter does nothing.
 *
 * <h2>Behaviour</h2>
 * A read or write takes its bits (its length times 8, as nbdkit counts: no protocol overhead) from
 * the server-wide bucket, then from its connection's; when a bucket runs dry the request sleeps
 * until enough bits have come in. The sleep is the connection's, so a disconnect or a shutdown ends
 * it (the call fails with ESHUTDOWN). Other calls (zero, trim, flush, extents, cache) move almost no
 * data and pass at once. The buckets are locked only for their arithmetic, never while a request
 * sleeps or runs below, so a parallel plugin stays parallel. Requests much larger than the rate make
 * long sleeps: put the blocksize filter before this one to split them. The filter keeps the layer
 * below multi-conn consistent.
 *
 * <h2>Where we differ from nbdkit</h2>
 * A rate file is read at most every tenth of a second, not on every request; {@code burstiness} must
 * be positive (0 would stall every request forever). A request larger than the bucket still passes at
 * the rate (in several sleeps); nbdkit's loses the tokens that would overflow its bucket while it
 * sleeps, so such requests pass slower than the rate there.
 */
package io.nbd4j.filters.rate;
