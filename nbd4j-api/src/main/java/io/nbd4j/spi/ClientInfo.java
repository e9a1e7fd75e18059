package io.nbd4j.spi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;

/**
 * Who a client connection comes from, as the server learned it when it accepted the connection.
 * Immutable. The address is client data a layer may log or match against a rule; nothing in it is
 * authenticated except the {@link PeerCredentials} of a Unix-domain client.
 *
 * @param connectionId the server's number for the connection (the same as {@link OpenRequest#connectionId()})
 * @param address      the client's address: an {@link InetSocketAddress} for TCP; for a Unix-domain
 *                     socket the client's {@link UnixDomainSocketAddress}, which is unnamed (an empty
 *                     path) unless the client bound its socket; {@code null} when the client is not on
 *                     a socket (the server's {@code -s}, or channels an embedding program passed in)
 * @param localAddress the server's end: the address or Unix socket path the client connected to, or
 *                     {@code null} as for {@code address}
 * @param peer         for a Unix-domain client, its process, user and group ids; {@code null} for
 *                     other clients, or when the JVM denies what reading them needs (see the server's
 *                     documentation: native access and {@code sun.nio.ch} exported to the server)
 * @param connectedAt  when the server accepted the connection (before the handshake)
 */
public record ClientInfo(long connectionId, SocketAddress address, SocketAddress localAddress,
                         PeerCredentials peer, Instant connectedAt) {

    /** A client that is not on a socket, connected now. */
    public static ClientInfo withoutAddress(long connectionId) {
        return new ClientInfo(connectionId, null, null, null, Instant.now());
    }

    /** Whether the client came over TCP (then {@link #address()} is an {@link InetSocketAddress}). */
    public boolean isTcp() {
        return address instanceof InetSocketAddress;
    }

    /** Whether the client came over a Unix-domain socket. */
    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress || localAddress instanceof UnixDomainSocketAddress;
    }
}
