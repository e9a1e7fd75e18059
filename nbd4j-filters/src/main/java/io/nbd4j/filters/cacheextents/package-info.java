/**
 * The cacheextents filter ({@code --filter=cacheextents}): remembers the last block status answer of
 * the plugin. For a client that walks a disk asking for one extent at a time (qemu-img convert) over a
 * plugin that answers with many extents for the price of one (a remote one), each answer then serves
 * many requests.
 *
 * <h2>Parameters</h2>
 * None; every parameter goes to the plugin.
 *
 * <h2>Behaviour</h2>
 * A block status request whose offset lies inside the remembered answer is served from it, without
 * asking the plugin. Otherwise the plugin is asked for as much as it will tell (the client's
 * "one extent only" flag is not passed down), the answer is passed on and remembered in place of the
 * last one. Reads do not touch the cache; any write, trim or zero, on any connection, forgets it. One
 * answer is kept for the whole server, and is used only by connections to the export it came from.
 * Everything else, multi-conn included, is the layer below's; reads may still be sent straight from
 * the plugin's memory. Only the plugin's metadata is cached; put the cache filter in front for data.
 *
 * <h2>Beyond nbdkit</h2>
 * The answer is tied to its export (nbdkit's would serve one export's extents to another), and an
 * answer that raced a write is not kept (nbdkit may keep extents from before the write).
 */
package io.nbd4j.filters.cacheextents;
