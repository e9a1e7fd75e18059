/**
 * The delay filter ({@code --filter=delay}): makes calls wait before they reach the layer below, and
 * connections wait as they open and close, to imitate a slow or distant server or to widen a race.
 * To limit bandwidth use the rate filter instead.
 *
 * <h2>Parameters</h2>
 * Times are seconds ({@code 2}, {@code 1.5}) or a number with {@code ms}, {@code us} or {@code ns}
 * ({@code 100ms}). A key given twice keeps the last value.
 * <dl>
 * <dt>{@code rdelay=TIME} (aliases {@code delay-read}, {@code delay-reads})</dt><dd>Before each read.</dd>
 * <dt>{@code wdelay=TIME}</dt><dd>Before each write, zero and trim.</dd>
 * <dt>{@code delay-write=TIME}, {@code delay-zero=TIME}, {@code delay-trim=TIME} (also
 *     {@code delay-discard}), {@code delay-extents=TIME}, {@code delay-cache=TIME}</dt>
 * <dd>Before each call of that kind (flush is never delayed).</dd>
 * <dt>{@code delay-open=TIME}</dt><dd>Before the layers below open for a connection (also for an
 *     {@code NBD_OPT_INFO} probe).</dd>
 * <dt>{@code delay-close=TIME}</dt><dd>When a connection's handle closes: the client's socket is
 *     closed only afterwards, so a client that waits for the server to hang up after
 *     {@code NBD_CMD_DISC} waits this long.</dd>
 * <dt>{@code delay-fast-zero=BOOL} (default true)</dt>
 * <dd>With false and a zero delay, a fast zero request fails at once with ENOTSUP (the filter then
 *     advertises fast zero itself) instead of waiting.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * Delays sleep with the connection's {@code sleep}, so a disconnect or a server shutdown ends a wait
 * at once (the call then fails with ESHUTDOWN) and a delay never holds up a shutdown; the close delay
 * outlasts the client's own disconnect but not a shutdown. Sleeping requests hold no lock, so a
 * parallel plugin stays parallel. The filter keeps the layer below multi-conn consistent.
 *
 * <h2>Beyond nbdkit</h2>
 * Times take fractions and {@code us}/{@code ns} as well as nbdkit's whole seconds and {@code ms}.
 */
package io.nbd4j.filters.delay;
