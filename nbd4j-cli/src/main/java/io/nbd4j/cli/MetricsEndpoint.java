package io.nbd4j.cli;

import io.nbd4j.server.prometheus.PrometheusMetrics;
import io.nbd4j.spi.Metrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executors;

/**
 * {@code --metrics}: a Prometheus registry for the server and its layers, served in Prometheus' text
 * formats at {@code /metrics} (any path answers) over HTTP, on TCP by the Prometheus library's
 * {@link HTTPServer} or on a Unix socket by {@link UnixScrapeServer}. The only class of the command
 * that touches the metrics library, so a server started without {@code --metrics} never loads it.
 *
 * <p><b>Threads.</b> Requests are served on virtual threads; {@link #close} from any thread.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final PrometheusMetrics metrics;
    private final AutoCloseable server;
    private final String where;

    private MetricsEndpoint(PrometheusMetrics metrics, AutoCloseable server, String where) {
        this.metrics = metrics;
        this.server = server;
        this.where = where;
    }

    /** Starts serving; throws if the address cannot be bound. */
    static MetricsEndpoint start(MetricsAddress address) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMetrics metrics = new PrometheusMetrics(registry);
        MetricsEndpoint endpoint;
        if (address.unixSocket() != null) {
            UnixScrapeServer server = UnixScrapeServer.start(address.unixSocket(), registry);
            endpoint = new MetricsEndpoint(metrics, server, "Unix socket " + address.unixSocket());
        } else {
            HTTPServer server;
            try {
                server = HTTPServer.builder().hostname(address.host()).port(address.port()).registry(registry)
                        .executorService(Executors.newVirtualThreadPerTaskExecutor()).buildAndStart();
            } catch (IOException e) {
                throw new IOException("cannot serve metrics on " + address.host() + ":" + address.port() + ": " + e.getMessage(), e);
            }
            String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
            endpoint = new MetricsEndpoint(metrics, server, "http://" + host + ":" + server.getPort() + "/metrics");
        }
        LOG.info("serving metrics on {}", endpoint.where);
        return endpoint;
    }

    /** The registry that the server and its layers publish to. */
    Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            LOG.debug("closing the metrics server: {}", e.toString());
        }
    }
}
