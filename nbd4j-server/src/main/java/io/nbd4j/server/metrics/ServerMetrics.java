package io.nbd4j.server.metrics;

import io.nbd4j.spi.Metrics;

import java.util.Objects;

/**
 * The server's own metrics, kept in the registry the layers publish to: requests, bytes, errors and
 * latency per export and operation ({@link RequestMetrics}, one per connection), and connections.
 *
 * <table>
 * <caption>Families</caption>
 * <tr><td>{@code nbd4j_requests_total{export,operation}}</td><td>requests answered</td></tr>
 * <tr><td>{@code nbd4j_request_bytes_total{export,operation}}</td><td>the length each request names
 *     (read, written, zeroed, trimmed, cached, or asked about)</td></tr>
 * <tr><td>{@code nbd4j_request_errors_total{export,operation,error}}</td><td>requests answered with an
 *     error, by errno name; includes requests refused before they ran</td></tr>
 * <tr><td>{@code nbd4j_request_duration_seconds{export,operation}}</td><td>histogram of the time from a
 *     request starting to run (its payload read, checked) to its reply written</td></tr>
 * <tr><td>{@code nbd4j_connections_open}</td><td>client connections open now</td></tr>
 * <tr><td>{@code nbd4j_connections_accepted_total}</td><td>client connections accepted</td></tr>
 * </table>
 *
 * <p><b>Threads.</b> Thread-safe.
 */
public final class ServerMetrics {
    /** The server without metrics: {@link #forExport} gives null and the rest does nothing. */
    public static final ServerMetrics NONE = new ServerMetrics(Metrics.NONE);

    private final Metrics registry;
    private final Metrics.Counter requests;
    private final Metrics.Counter bytes;
    private final Metrics.Counter errors;
    private final Metrics.Timer duration;
    private final Metrics.Gauge open;
    private final Metrics.Counter accepted;

    public ServerMetrics(Metrics registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        requests = registry.counter("nbd4j_requests", "NBD requests answered", "export", "operation");
        bytes = registry.counter("nbd4j_request_bytes",
                "Bytes named by the requests answered (read, written, zeroed, trimmed, cached or asked about)",
                "export", "operation");
        errors = registry.counter("nbd4j_request_errors", "NBD requests answered with an error, by errno name",
                "export", "operation", "error");
        duration = registry.timer("nbd4j_request_duration_seconds",
                "Time from a request starting to run to its reply written", "export", "operation");
        open = registry.gauge("nbd4j_connections_open", "Client connections open");
        accepted = registry.counter("nbd4j_connections_accepted", "Client connections accepted");
    }

    /** The registry, as layers see it through {@code ServerControl.metrics()}. */
    public Metrics registry() {
        return registry;
    }

    /** The request metrics of one connection to {@code export}, or null without metrics. */
    public RequestMetrics forExport(String export) {
        return registry.enabled() ? new RequestMetrics(export, requests, bytes, errors, duration) : null;
    }

    public void connectionOpened() {
        accepted.inc();
        open.add(1);
    }

    public void connectionClosed() {
        open.add(-1);
    }
}
