package io.nbd4j.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an NBD server listens: a Unix domain socket or a TCP host and port. Immutable.
 */
public sealed interface NbdAddress {
    /** The IANA port for NBD. */
    int DEFAULT_PORT = 10809;

    static NbdAddress unix(Path socket) {
        return new Unix(socket);
    }

    static NbdAddress tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /** A Unix domain socket. */
    record Unix(Path socket) implements NbdAddress {
        public Unix {
            Objects.requireNonNull(socket, "socket");
        }

        @Override
        public String toString() {
            return "unix:" + socket;
        }
    }

    /** A TCP endpoint; {@code host} is a name or a literal address (IPv6 without brackets). */
    record Tcp(String host, int port) implements NbdAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
