/**
 * The multi-conn filter ({@code --filter=multi-conn}): makes flushes consistent across the connections
 * of a client, or changes whether {@code NBD_FLAG_CAN_MULTI_CONN} is advertised.
 *
 * <p>With multi-conn, a client may write on one connection, flush on a second and read on a third, and
 * must see its write. A plugin whose connections cache data separately cannot promise that; this
 * filter can, by replaying a flush to every connection that might hold unflushed or stale data.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code multi-conn-mode=auto|emulate|plugin|unsafe|disable} (default {@code auto})</dt>
 * <dd>{@code emulate}: advertise multi-conn; a flush (and a write, zero or trim with FUA, which is
 *     turned into the operation followed by that flush) flushes every connection of the group that needs
 *     it; native FUA below is advertised as emulated; a connection is refused if the plugin cannot
 *     flush. {@code plugin}: advertise what the plugin says; flush only the own connection, still
 *     skipping the flush when dirty tracking shows it is not needed. {@code unsafe}: always advertise,
 *     never replay. {@code disable}: never advertise, never replay. {@code auto}, decided per
 *     connection: {@code disable} when the server serializes connections, {@code plugin} when the plugin
 *     advertises multi-conn, {@code emulate} otherwise.</dd>
 * <dt>{@code multi-conn-track-dirty=connection|conn|fast|off} (default {@code connection})</dt>
 * <dd>{@code connection}: a connection needs a flush if it wrote, zeroed or trimmed since its last flush,
 *     or if it read (or cached) and another connection's writes were flushed since; clean connections
 *     are not flushed. {@code fast}: one dirty bit per group, set by any write and cleared by any flush;
 *     a flush while it is clear does nothing (safe with {@code emulate}, not with {@code plugin} over a
 *     plugin without multi-conn). {@code off}: every flush reaches the plugin; with {@code emulate} and a
 *     client that flushes every connection itself, that is quadratic.</dd>
 * <dt>{@code multi-conn-exportname=BOOL}, alias {@code multi-conn-export-name} (default false)</dt>
 * <dd>false: all connections form one group, whatever export they opened. true: one group per export
 *     name, so a flush on one export costs the others nothing (unsafe for a plugin that serves the same
 *     data under several names without being multi-conn consistent).</dd>
 * <dt>{@code multi-conn-flush-on-close=BOOL} (default false, not in nbdkit)</dt>
 * <dd>When a connection ends normally with writes it never flushed, flush them.</dd>
 * </dl>
 * A group is created by its first connection and removed with its last; {@code NBD_OPT_INFO} probes
 * never join one. Emulating and non-emulating connections are kept in separate groups.
 *
 * <h2>Beyond nbdkit</h2>
 * Each group has its own state (no global lock). An emulated flush is a <i>round</i> that flushes the
 * members in parallel on virtual threads, each through its own connection's serialization. Rounds of
 * a group overlap: a flush starts its round at once, flushes the members whose marks it takes, and
 * answers only after every round that was still flushing when it took them (a mark taken by such a
 * round is covered by that round's flush); so concurrent flushes reach the plugin side by side, and a
 * flush that finds every mark taken adds no flush of its own. A member whose flush fails does not stop
 * the others; the client of that round gets the error and the member stays dirty, and a round that
 * relied on the failed one flushes the put-back marks itself before it answers. Dirty
 * bits are updated atomically and marked after the operation completes; reads that overlap a round are
 * caught by a second phase of the round (see {@code Group}). {@code emulate} replays to the group even
 * over a layer that is multi-conn consistent itself (the file plugin; the cache filter without
 * {@code cache-max-size}), so sequential clients see nbdkit's flush counts. In the other modes over such
 * a layer a flush goes down on its own connection, which by that layer's promise publishes all, and is
 * skipped only when a finished flush covers every write before it ({@code PublishedWrites}). A
 * FUA write outside emulation still counts for dirty tracking (it dirties the group unless the plugin is
 * multi-conn consistent), which nbdkit forgets. With {@code plugin}, {@code unsafe} or {@code disable} and
 * connection tracking, a flush goes down while the group is dirty, exactly as in nbdkit: over a plugin
 * without multi-conn only fast tracking cleans the group, so once anything was written every flush reaches
 * the plugin. The manual's per-connection wording could be read as allowing fewer flushes, but it does not
 * say how a reader would learn that another connection's writes became visible, so we keep nbdkit's
 * counts.
 *
 * <h2>Limits (as in nbdkit)</h2>
 * The filter assumes that a connection's flush publishes that connection's writes and drops what it
 * cached. If two connections write the same block and neither flushes before a flush anywhere, the
 * two write-backs race (in nbdkit they run in list order), so the older write may land last; a client
 * that needs the newer one must flush between the two writes. A plugin whose connections serve
 * unrelated data must not be used with this filter.
 */
package io.nbd4j.filters.multiconn;
