package io.nbd4j.server;

import io.nbd4j.server.metrics.ServerMetrics;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings as the handshake and transmission code read them. Built by
 * {@link NbdServer.Builder}; public only because those packages need it, not part of the embedding API.
 *
 * @param readOnly          serve every export read-only ({@code -r})
 * @param threads           most requests of one connection run at once ({@code -t}); 1 runs them in order.
 *                          Also the bound on requests in flight: the reader waits for a free slot.
 * @param structuredReplies allow {@code NBD_OPT_STRUCTURED_REPLY} and {@code NBD_OPT_EXTENDED_HEADERS}
 * @param metaContexts      allow {@code NBD_OPT_LIST/SET_META_CONTEXT}
 * @param verbose           log one debug line per request
 * @param maskHandshake     ANDed with the global handshake flags the server offers
 * @param maxPayload        largest read or write payload accepted, in bytes
 * @param maxOptions        most options one client may send before the server hangs up
 * @param tls               whether and how TLS is offered
 * @param maxConnections    most client connections open at once; more are closed on accept
 * @param handshakeTimeout  longest time from accept to the end of the handshake; zero means no limit
 * @param idleTimeout       longest time a connection may move no byte either way; zero means no limit
 * @param metrics           where requests and connections are counted ({@link ServerMetrics#NONE}: nowhere)
 */
public record ServerSettings(boolean readOnly, int threads, boolean structuredReplies, boolean metaContexts,
                             boolean verbose, int maskHandshake, int maxPayload, int maxOptions,
                             TlsSettings tls, int maxConnections, Duration handshakeTimeout, Duration idleTimeout,
                             ServerMetrics metrics) {
    public static final int DEFAULT_THREADS = 16;
    public static final int DEFAULT_MAX_PAYLOAD = 64 << 20;
    public static final int DEFAULT_MAX_OPTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;

    public ServerSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (maxPayload < 512) {
            throw new IllegalArgumentException("maxPayload must be at least 512 bytes: " + maxPayload);
        }
        if (maxOptions < 1) {
            throw new IllegalArgumentException("maxOptions must be at least 1: " + maxOptions);
        }
        Objects.requireNonNull(tls, "tls");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        requireNotNegative(handshakeTimeout, "handshakeTimeout");
        requireNotNegative(idleTimeout, "idleTimeout");
        Objects.requireNonNull(metrics, "metrics");
    }

    private static void requireNotNegative(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    public static ServerSettings defaults() {
        return new ServerSettings(false, DEFAULT_THREADS, true, true, false, 0xffff, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_OPTIONS,
                TlsSettings.off(), DEFAULT_MAX_CONNECTIONS, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, ServerMetrics.NONE);
    }
}
