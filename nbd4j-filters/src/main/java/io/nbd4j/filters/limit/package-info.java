/**
 * The limit filter ({@code --filter=limit}): refuses clients beyond a number connected at once.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code limit=N} (default 1)</dt>
 * <dd>The most clients at once; 0 switches the limit off.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * A client arriving while the limit is reached is dropped before any negotiation (in
 * {@code preconnect}, before TLS). Clients are counted while their export is open, so one that
 * negotiates slowly is checked again when it opens the export and refused then if others took the
 * places meanwhile. An {@code NBD_OPT_INFO} probe counts while it is open, as in nbdkit. The count is
 * kept without a lock. Calls pass through unchanged, and the filter keeps the layer below multi-conn
 * consistent.
 */
package io.nbd4j.filters.limit;
