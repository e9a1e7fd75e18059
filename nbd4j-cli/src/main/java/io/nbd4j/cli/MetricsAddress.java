package io.nbd4j.cli;

import java.nio.file.Path;

/**
 * Where {@code --metrics} serves: {@code PORT} (on 127.0.0.1, so that nothing is exposed beyond the
 * machine unless asked for), {@code ADDR:PORT}, {@code [IPv6]:PORT}, or a Unix socket's path (any value
 * with a {@code /}). Parsing it loads nothing of the metrics library.
 *
 * @param host       the address to bind, or null for a Unix socket
 * @param port       the TCP port (0: any free one), or -1 for a Unix socket
 * @param unixSocket the socket's absolute path, or null for TCP
 */
record MetricsAddress(String host, int port, Path unixSocket) {
    static final String DEFAULT_HOST = "127.0.0.1";

    static MetricsAddress parse(String value) throws UsageException {
        if (value.contains("/")) {
            return new MetricsAddress(null, -1, Path.of(value).toAbsolutePath());
        }
        String host = DEFAULT_HOST;
        String port = value;
        int colon = value.lastIndexOf(':');
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 != colon) {
                throw bad(value);
            }
            host = value.substring(1, close);
        } else if (colon >= 0) {
            if (value.indexOf(':') != colon) {
                throw bad(value);   // a bare IPv6 address: its port cannot be told apart
            }
            host = value.substring(0, colon);
        }
        if (colon >= 0) {
            port = value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(value);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw bad(value);
            }
            return new MetricsAddress(host, p, null);
        } catch (NumberFormatException e) {
            throw bad(value);
        }
    }

    private static UsageException bad(String value) {
        return new UsageException("--metrics: expected PORT, ADDR:PORT, [IPV6]:PORT or a Unix socket path, not '" + value + "'");
    }
}
