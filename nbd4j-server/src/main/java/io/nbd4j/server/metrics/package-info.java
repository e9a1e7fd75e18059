/**
 * The server's own metrics ({@link io.nbd4j.server.metrics.ServerMetrics}: requests, bytes, errors and
 * latency per export and operation, connections), kept in the same {@link io.nbd4j.spi.Metrics}
 * registry the layers publish to. The registry is given to {@code NbdServer.Builder.metrics}; without
 * one nothing is recorded and the request path skips the clock.
 */
package io.nbd4j.server.metrics;
