package io.nbd4j.server;

import io.nbd4j.spi.PeerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Reads the credentials of a Unix-domain client ({@code SO_PEERCRED}: pid, uid, gid) through
 * {@link NativeSockets}. The JDK's own {@code jdk.net.ExtendedSocketOptions.SO_PEERCRED} gives user and
 * group names but no pid. Where the JVM refuses what this needs (see {@link NativeSockets}), {@link #read}
 * returns {@code null} and the reason is logged once.
 *
 * <p><b>Threads.</b> Stateless but for the logged-once flag; any thread may call it.
 */
final class PeerCredentialsReader {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCredentialsReader.class);
    private static volatile boolean reportedFailure;

    private PeerCredentialsReader() {}

    /** The credentials of the process at the other end of a connected Unix-domain socket, or {@code null}. */
    static PeerCredentials read(SocketChannel channel) {
        try {
            return NativeSockets.peerCredentials(NativeSockets.descriptorOf(channel));
        } catch (IOException e) {
            reportOnce(e.getMessage());
            return null;
        }
    }

    /**
     * As {@link #read}, for a channel that may have been closed meanwhile: {@code null} then. The check
     * after the call matters: a channel is marked closed before its descriptor is released, so a
     * descriptor that was reused for another client by the time of the call is always caught.
     */
    static PeerCredentials readWhileOpen(SocketChannel channel) {
        if (!channel.isOpen()) {
            return null;
        }
        PeerCredentials peer = read(channel);
        return channel.isOpen() ? peer : null;
    }

    private static void reportOnce(String reason) {
        if (!reportedFailure) {
            reportedFailure = true;
            LOG.warn("cannot read the credentials of Unix-domain clients ({}); run the JVM with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED and --enable-native-access=ALL-UNNAMED", reason);
        }
    }
}
