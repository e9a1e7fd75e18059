package io.nbd4j.server;

import io.nbd4j.spi.ClientInfo;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Instant;

/**
 * Describes a client the moment its socket is accepted: both addresses, and for a Unix-domain client
 * how to read the credentials of its process when a layer asks. Stateless; any thread.
 */
final class AcceptedClients {
    private AcceptedClients() {}

    static ClientInfo describe(long connectionId, SocketChannel channel) {
        Instant now = Instant.now();
        SocketAddress remote = addressOrNull(channel, true);
        SocketAddress local = addressOrNull(channel, false);
        if (local instanceof UnixDomainSocketAddress) {
            return ClientInfo.withPeerReadOnDemand(connectionId, remote, local, () -> PeerCredentialsReader.readWhileOpen(channel), now);
        }
        return new ClientInfo(connectionId, remote, local, null, now);
    }

    /**
     * The client on standard input (descriptor 0): a Unix-domain client with its peer's credentials when
     * the descriptor is a Unix socket (a socket pair's ends have no names), else a client without address.
     */
    static ClientInfo describeStandardInput(long connectionId) {
        Instant now = Instant.now();
        try {
            if (NativeSockets.available() && NativeSockets.family(0) == NativeSockets.AF_UNIX) {
                UnixDomainSocketAddress unnamed = UnixDomainSocketAddress.of("");
                return new ClientInfo(connectionId, unnamed, unnamed, NativeSockets.peerCredentials(0), now);
            }
        } catch (IOException notASocket) {
            // a pipe or a file: nothing more to say about the client
        }
        return new ClientInfo(connectionId, null, null, null, now);
    }

    /** A client that went away at once has no address left; that is not worth failing for here. */
    private static SocketAddress addressOrNull(SocketChannel channel, boolean remote) {
        try {
            return remote ? channel.getRemoteAddress() : channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
