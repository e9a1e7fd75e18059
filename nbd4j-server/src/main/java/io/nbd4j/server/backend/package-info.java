/**
 * The layers opened for one connection. Each layer's handle is wrapped in a
 * {@link io.nbd4j.server.backend.LayerContext} that caches its answers, applies the layer's declared
 * thread model at that layer's boundary (a per-connection lock, a lock shared by all connections, or
 * connection admission), and emulates FUA, zeroing and caching where the layer asks for it.
 * {@link io.nbd4j.server.backend.ConnectionBackend} opens, prepares, finishes and closes the stack.
 */
package io.nbd4j.server.backend;
