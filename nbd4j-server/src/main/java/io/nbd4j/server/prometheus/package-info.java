/**
 * {@link io.nbd4j.server.prometheus.PrometheusMetrics}: the {@link io.nbd4j.spi.Metrics} of the server
 * and its layers kept in a Prometheus registry. The only part of the server that uses the Prometheus
 * Java client library ({@code io.prometheus:prometheus-metrics-core}, an optional dependency): nothing
 * else loads it, so a server without metrics needs neither the library nor its start-up time.
 */
package io.nbd4j.server.prometheus;
