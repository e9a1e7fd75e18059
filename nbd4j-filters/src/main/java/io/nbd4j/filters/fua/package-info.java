/**
 * The fua filter ({@code --filter=fua}): changes how Forced Unit Access (FUA) and flush are advertised
 * and served, to trade safety for speed or to test how clients and filters above cope.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code fuamode=none|emulate|native|force|pass|discard} (default {@code none})</dt>
 * <dd>{@code none}: FUA is not advertised; flush passes through. {@code emulate}: FUA is advertised as
 *     emulated, and a FUA request becomes the operation followed by a flush; a connection is refused
 *     if the plugin cannot flush. {@code native}: FUA is advertised as native and passed down (if the
 *     plugin only emulates FUA, the filter sends the operation and then a flush); refused if the plugin
 *     has no FUA at all. {@code force}: every write, zero and trim is made FUA and flush becomes a no-op
 *     (write-through); refused like {@code native}. {@code pass}: nothing changes. {@code discard}: FUA
 *     flags are dropped and flush does nothing, while both stay advertised (unsafe: data may be lost).</dd>
 * </dl>
 * The checks that refuse a connection are skipped for read-only connections, as nbdkit does. Unlike
 * nbdkit 1.32, an explicit {@code fuamode=none} is accepted.
 */
package io.nbd4j.filters.fua;
