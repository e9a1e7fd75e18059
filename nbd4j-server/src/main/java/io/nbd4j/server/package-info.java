/**
 * The nbd4j server: {@link io.nbd4j.server.NbdServer} (the embedding API and the listeners) and
 * {@link io.nbd4j.server.LayerStack} (the plugin and filters, and their parameters).
 *
 * <p>How a connection is served, one package per concern:
 * <ul>
 *   <li>{@code transport} — the byte stream of a connection, replaceable after STARTTLS;</li>
 *   <li>{@code handshake} — fixed newstyle option haggling, ending in a {@code Session};</li>
 *   <li>{@code transmission} — the reader loop, request validation, running requests on virtual
 *       threads, and writing replies in the negotiated style;</li>
 *   <li>{@code backend} — the per-connection stack of layer contexts: opening, capability caching,
 *       thread-model locks at each layer's boundary, and FUA/zero/cache emulation.</li>
 * </ul>
 * Logging goes through SLF4J under {@code io.nbd4j.server}; every line about a client names its
 * connection ({@code conn 3: ...}). Expected client faults are one line without a stack trace.
 */
package io.nbd4j.server;
