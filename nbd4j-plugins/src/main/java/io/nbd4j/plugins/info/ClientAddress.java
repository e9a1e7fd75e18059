package io.nbd4j.plugins.info;

import io.nbd4j.spi.ClientInfo;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The text {@code mode=address} serves: {@code 192.0.2.1:40000} or {@code [2001:db8::1]:40000} for a
 * TCP client (IPv6 in its shortest form, as {@code getnameinfo} prints it, which Java's own
 * {@link InetAddress#getHostAddress} does not do), and {@code unix} for a Unix-domain client, so that
 * no host path leaks. Stateless.
 */
final class ClientAddress {
    private ClientAddress() {}

    /** The address text, or {@code null} when the client is on no socket at all. */
    static String describe(ClientInfo client) {
        if (client.address() instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            String host = address instanceof Inet6Address v6 ? "[" + shortIpv6(v6) + "]" : address.getHostAddress();
            return host + ":" + inet.getPort();
        }
        return client.isUnix() ? "unix" : null;
    }

    /** RFC 5952's text form: lower-case groups without leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String shortIpv6(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        if (address.getScopeId() != 0 || address.getScopedInterface() != null) {
            text.append('%').append(address.getScopedInterface() != null ? address.getScopedInterface().getName() : address.getScopeId());
        }
        return text.toString();
    }
}
