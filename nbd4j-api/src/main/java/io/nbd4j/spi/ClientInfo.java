package io.nbd4j.spi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who a client connection comes from, as the server learned it when it accepted the connection. The
 * address is client data a layer may log or match against a rule; nothing in it is authenticated
 * except the {@link PeerCredentials} of a Unix-domain client.
 *
 * <p>The peer credentials are asked of the kernel the first time a layer calls {@link #peer()}, as
 * nbdkit's {@code nbdkit_peer_pid} does, and kept: a connection whose layers never ask costs no system
 * call, and a server whose layers never ask never binds the native call (tens of milliseconds at start).
 *
 * <p><b>Threads.</b> Immutable but for that one lazily read value, which any thread may ask for.
 */
public final class ClientInfo {
    private final long connectionId;
    private final SocketAddress address;
    private final SocketAddress localAddress;
    private final Instant connectedAt;
    /** Reads the credentials; {@code null} once they are known. */
    private Supplier<PeerCredentials> peerSource;
    private PeerCredentials peer;

    /**
     * A client whose credentials are known.
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
    public ClientInfo(long connectionId, SocketAddress address, SocketAddress localAddress, PeerCredentials peer,
                      Instant connectedAt) {
        this(connectionId, address, localAddress, connectedAt, null);
        this.peer = peer;
    }

    private ClientInfo(long connectionId, SocketAddress address, SocketAddress localAddress, Instant connectedAt,
                       Supplier<PeerCredentials> peerSource) {
        this.connectionId = connectionId;
        this.address = address;
        this.localAddress = localAddress;
        this.connectedAt = connectedAt;
        this.peerSource = peerSource;
    }

    /**
     * A client whose credentials {@code peerSource} reads when first asked for; it is called at most once
     * and must return {@code null} rather than another process's credentials once the connection is gone.
     */
    public static ClientInfo withPeerReadOnDemand(long connectionId, SocketAddress address, SocketAddress localAddress,
                                                  Supplier<PeerCredentials> peerSource, Instant connectedAt) {
        return new ClientInfo(connectionId, address, localAddress, connectedAt, Objects.requireNonNull(peerSource, "peerSource"));
    }

    /** A client that is not on a socket, connected now. */
    public static ClientInfo withoutAddress(long connectionId) {
        return new ClientInfo(connectionId, null, null, null, Instant.now());
    }

    /** The server's number for the connection (the same as {@link OpenRequest#connectionId()}). */
    public long connectionId() {
        return connectionId;
    }

    /** The client's address, or {@code null} when it is not on a socket (see the constructor). */
    public SocketAddress address() {
        return address;
    }

    /** The server's end of the connection, or {@code null} when the client is not on a socket. */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * For a Unix-domain client, its process, user and group ids as they were when it connected; {@code null}
     * for other clients, when the JVM denies what reading them needs, or when first asked for after the
     * connection closed.
     */
    public synchronized PeerCredentials peer() {
        if (peerSource != null) {
            peer = peerSource.get();
            peerSource = null;
        }
        return peer;
    }

    /** When the server accepted the connection (before the handshake). */
    public Instant connectedAt() {
        return connectedAt;
    }

    /** Whether the client came over TCP (then {@link #address()} is an {@link InetSocketAddress}). */
    public boolean isTcp() {
        return address instanceof InetSocketAddress;
    }

    /** Whether the client came over a Unix-domain socket. */
    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress || localAddress instanceof UnixDomainSocketAddress;
    }

    @Override
    public String toString() {
        return "ClientInfo[connectionId=" + connectionId + ", address=" + address + ", localAddress=" + localAddress
                + ", connectedAt=" + connectedAt + "]";
    }
}
