/**
 * The noparallel filter ({@code --filter=noparallel}): asks the server for less concurrency than the
 * plugin allows, to measure what parallelism buys or to work around a plugin that claims more than it
 * can take.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code serialize=requests|all-requests|connections} (alias key {@code serialise}; {@code all_requests}
 *     is accepted too; default {@code requests})</dt>
 * <dd>{@code requests}: one request at a time on each connection, connections in parallel.
 *     {@code all-requests}: one request at a time over all connections. {@code connections}: one client
 *     at a time; the server then stops advertising multi-conn.</dd>
 * </dl>
 * Only the thread model changes; the server enforces it, and every request passes through unchanged.
 */
package io.nbd4j.filters.noparallel;
