package io.nbd4j.filters.ip;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.PeerCredentials;
import io.nbd4j.spi.Values;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One entry of an {@code allow=} or {@code deny=} list and whether a client matches it. Immutable.
 * Addresses are read as literals only ({@link InetAddress#ofLiteral}), never looked up by name.
 */
sealed interface Rule {
    boolean matches(ClientInfo client);

    /** Any client at all. */
    record Any() implements Rule {
        public boolean matches(ClientInfo c) { return true; }
        @Override public String toString() { return "any"; }
    }

    /** Any TCP client over IPv4 (v4 is true) or IPv6. */
    record AnyIp(boolean v4) implements Rule {
        public boolean matches(ClientInfo c) {
            return c.address() instanceof InetSocketAddress a && (a.getAddress() instanceof Inet4Address) == v4;
        }
        @Override public String toString() { return v4 ? "anyipv4" : "anyipv6"; }
    }

    /** Any client on a Unix-domain socket. */
    record AnyUnix() implements Rule {
        public boolean matches(ClientInfo c) { return c.isUnix(); }
        @Override public String toString() { return "anyunix"; }
    }

    /** An AF_VSOCK rule, accepted for nbdkit's command lines; the JDK has no vsock, so no client matches it. */
    record Vsock(String text) implements Rule {
        public boolean matches(ClientInfo c) { return false; }
        @Override public String toString() { return text; }
    }

    /** A network: the first {@code prefix} bits of the client's address equal those of {@code network}. */
    record Network(InetAddress network, int prefix) implements Rule {
        public boolean matches(ClientInfo c) {
            if (!(c.address() instanceof InetSocketAddress a) || a.getAddress().getClass() != network.getClass()) {
                return false;
            }
            byte[] x = a.getAddress().getAddress();
            byte[] y = network.getAddress();
            int bits = prefix;
            for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((x[i] & mask) != (y[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
        @Override public String toString() {
            return (network instanceof Inet4Address ? "ipv4:" : "ipv6:") + network.getHostAddress() + "/" + prefix;
        }
    }

    /** A Unix-domain client whose process, user or group id (by the kernel's word) is {@code id}. */
    record Peer(String kind, long id) implements Rule {
        public boolean matches(ClientInfo c) {
            PeerCredentials p = c.peer();
            if (!c.isUnix() || p == null) {
                return false;
            }
            return switch (kind) {
                case "pid" -> p.pid() == id;
                case "uid" -> p.uid() == id;
                default -> p.gid() == id;
            };
        }
        @Override public String toString() { return kind + ":" + id; }
    }

    /** Parses one entry as nbdkit writes them; {@code key} names the parameter in errors. */
    static Rule parse(String key, String entry) throws ConfigException {
        String lower = entry.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "all", "any": return new Any();
            case "allipv4", "anyipv4": return new AnyIp(true);
            case "allipv6", "anyipv6": return new AnyIp(false);
            case "allunix", "anyunix": return new AnyUnix();
            case "allvsock", "anyvsock": return new Vsock(lower);
            default: break;
        }
        for (String kind : new String[] {"pid", "uid", "gid"}) {
            if (lower.startsWith(kind + ":")) {
                return new Peer(kind, Values.parseInteger(key, entry.substring(kind.length() + 1), 0, 0xffff_ffffL));
            }
        }
        if (lower.startsWith("vsock-cid:") || lower.startsWith("vsock-port:")) {
            Values.parseInteger(key, entry.substring(entry.indexOf(':') + 1), 0, 0xffff_ffffL);
            return new Vsock(lower);
        }
        int slash = entry.indexOf('/');
        InetAddress address = literal(key, entry, slash < 0 ? entry : entry.substring(0, slash));
        int most = address instanceof Inet4Address ? 32 : 128;
        int prefix = slash < 0 ? most : (int) Values.parseInteger(key, entry.substring(slash + 1), 0, most);
        return new Network(address, prefix);
    }

    private static InetAddress literal(String key, String entry, String text) throws ConfigException {
        try {
            // an IPv4-mapped "::ffff:a.b.c.d" comes back as IPv4, as clients of a dual-stack listener do
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": don't know how to read the rule '" + entry + "' (expected all, anyipv4, "
                    + "anyipv6, anyunix, an IPv4 or IPv6 address with an optional /PREFIX, pid:N, uid:N or gid:N)");
        }
    }
}
