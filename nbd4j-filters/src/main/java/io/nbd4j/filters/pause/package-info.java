/**
 * The pause filter ({@code --filter=pause}): holds requests while a controller asks, for example while
 * the storage below is snapshotted.
 *
 * <h2>Parameters</h2>
 * <dl>
 * <dt>{@code pause-control=SOCKET} (required)</dt>
 * <dd>A Unix socket the filter listens on (an existing file there is replaced; it is removed at
 *     exit). A controller connects and sends single characters: {@code p} pauses, and is answered
 *     {@code P} once every request that got in before the pause has finished, so the layers below are
 *     idle (as far as the filter can see: a plugin's own background work is not); {@code r} resumes,
 *     answered {@code R}. Spaces, tabs and newlines are ignored; anything else is answered {@code X}.
 *     One controller at a time: {@code echo p | nc -U SOCKET}.</dd>
 * </dl>
 *
 * <h2>Behaviour</h2>
 * While paused, reads, writes, zeroes, trims, block status and cache requests wait at the filter
 * before reaching the layer below; flush passes, as in nbdkit, since it changes no data. Clients see
 * slow requests; kernel clients and virtual machines tolerate only short pauses before their own
 * timeouts fire. The filter flushes nothing itself.
 *
 * <h2>Beyond nbdkit</h2>
 * A request held at the pause ends (with ESHUTDOWN) when its client disconnects or the server shuts
 * down, rather than holding the server up until a resume. The gate's lock is held only to count, so
 * requests that got through run in parallel. The filter keeps the layer below multi-conn consistent.
 */
package io.nbd4j.filters.pause;
