/**
 * The exitlast filter ({@code --filter=exitlast}): stops the server, gracefully, when the last client
 * disconnects. It never stops a server that has not served a client yet, so a server started ahead of
 * its client waits for it. A use: a server started on demand (by socket activation, say) that should
 * not outlive its clients.
 *
 * <p>It takes no parameters. Clients count from the moment their export opens until it closes; an
 * {@code NBD_OPT_INFO} probe does not count, so a client that probes before it opens the export does
 * not stop the server in between (nbdkit counts probes too). Calls pass through unchanged, and the
 * filter keeps the layer below multi-conn consistent. For other events to exit on, see the exitwhen
 * filter.
 */
package io.nbd4j.filters.exitlast;
