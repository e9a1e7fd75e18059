package io.nbd4j.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * systemd-style socket activation: a service manager (systemd, {@code systemd-socket-activate}, the
 * nbd plugin's {@code command=}, libnbd) binds the listening sockets, passes them as descriptors 3,
 * 4, … and sets {@code LISTEN_FDS} to their number and {@code LISTEN_PID} to the process meant to
 * use them. {@link #fromEnvironment} reads those variables as nbdkit does; {@link #adopt} turns each
 * descriptor into a {@link ServerSocketChannel} for {@link NbdServer.Builder#listener}.
 *
 * <h2>How an inherited descriptor becomes a channel</h2>
 * The JDK makes channels only from sockets it creates itself ({@link System#inheritedChannel()}
 * covers descriptor 0 alone, and the channel classes' descriptor constructors are internal). So each
 * descriptor is adopted by a channel of the JDK's own: a {@code ServerSocketChannel} of the same
 * family is opened and bound to a throwaway address (an ephemeral loopback port, or an automatically
 * named Unix socket whose file is removed at once), and then {@code dup3(2)} makes that channel's
 * descriptor number refer to the inherited socket, closing the throwaway socket in the same atomic
 * step. From then on the channel accepts on the inherited socket with the JDK's own code, blocking or
 * on virtual threads, and every accepted client is an ordinary {@code SocketChannel} whose addresses
 * and peer credentials are read from its own descriptor. Only the listening channel's cached local
 * address still names the throwaway one, so the server never reports it. The descriptor number is
 * read as for peer credentials ({@link NativeSockets}: {@code --add-exports java.base/sun.nio.ch} and
 * native access, which the nbd4j jar's manifest grants).
 *
 * <p>Descriptors outside the JDK's knowledge are not inherited by the JDK's child processes (it closes
 * every descriptor above 2 when it starts one), and the adopted ones carry close-on-exec.
 *
 * <p><b>Threads.</b> Called once, by the thread that starts the server.
 */
public final class SocketActivation {
    private static final Logger LOG = LoggerFactory.getLogger(SocketActivation.class);
    /** The first descriptor passed, by the protocol's definition. */
    public static final int FIRST_DESCRIPTOR = 3;
    /** The most descriptors accepted, as nbdkit: more is taken for a mistake. */
    public static final int MOST_DESCRIPTORS = 16;

    private final int count;

    private SocketActivation(int count) {
        this.count = count;
    }

    /**
     * The activation meant for process {@code pid}, if the environment holds one: {@code LISTEN_PID}
     * must name {@code pid} (otherwise the variables were meant for a parent and are ignored, with a
     * warning) and {@code LISTEN_FDS} must be a number.
     *
     * @throws IllegalArgumentException when {@code LISTEN_FDS} is 0 or more than {@link #MOST_DESCRIPTORS}
     */
    public static Optional<SocketActivation> fromEnvironment(Map<String, String> environment, long pid) {
        String listenPid = environment.get("LISTEN_PID");
        String listenFds = environment.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null) {
            return Optional.empty();
        }
        long forPid;
        long fds;
        try {
            forPid = Long.parseLong(listenPid.strip());
            fds = Long.parseLong(listenFds.strip());
        } catch (NumberFormatException e) {
            LOG.warn("socket activation ignored: LISTEN_PID={} and LISTEN_FDS={} are not both numbers", listenPid, listenFds);
            return Optional.empty();
        }
        if (forPid != pid) {
            LOG.warn("socket activation ignored: LISTEN_PID={} was not for us (process {})", listenPid, pid);
            return Optional.empty();
        }
        if (fds < 1 || fds > MOST_DESCRIPTORS) {
            throw new IllegalArgumentException("socket activation: LISTEN_FDS=" + listenFds
                    + " is out of range (1 to " + MOST_DESCRIPTORS + " sockets)");
        }
        return Optional.of(new SocketActivation((int) fds));
    }

    /** How many sockets were passed. */
    public int count() {
        return count;
    }

    /**
     * Adopts descriptors 3 to {@code 3 + count() - 1} as listening channels. Call it once.
     *
     * @throws IOException when a descriptor is not a listening stream socket, or the JVM does not
     *                     allow the native calls; the channels adopted so far are closed then
     */
    public List<ServerSocketChannel> adopt() throws IOException {
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            for (int fd = FIRST_DESCRIPTOR; fd < FIRST_DESCRIPTOR + count; fd++) {
                channels.add(adopt(fd));
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel c : channels) {
                c.close();
            }
            throw e;
        }
        return channels;
    }

    private static ServerSocketChannel adopt(int fd) throws IOException {
        int family = NativeSockets.family(fd);
        if (NativeSockets.type(fd) != NativeSockets.SOCK_STREAM || !NativeSockets.isListening(fd)) {
            throw new IOException("socket activation: descriptor " + fd + " is not a listening stream socket");
        }
        ProtocolFamily javaFamily = switch (family) {
            case NativeSockets.AF_UNIX -> StandardProtocolFamily.UNIX;
            case NativeSockets.AF_INET -> StandardProtocolFamily.INET;
            case NativeSockets.AF_INET6 -> StandardProtocolFamily.INET6;
            default -> throw new IOException("socket activation: descriptor " + fd
                    + " is a socket of family " + family + ", neither Unix, IPv4 nor IPv6");
        };
        ServerSocketChannel channel = ServerSocketChannel.open(javaFamily);
        try {
            SocketAddress throwaway = bindThrowaway(channel, javaFamily);
            NativeSockets.duplicateOnto(fd, NativeSockets.descriptorOf(channel));
            NativeSockets.close(fd);
            if (throwaway instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        LOG.debug("listening on socket activation descriptor {} (family {})", fd, javaFamily);
        return channel;
    }

    /** Binds the channel where nothing can reach it for the moment it takes to replace it. */
    private static SocketAddress bindThrowaway(ServerSocketChannel channel, ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            channel.bind(null, 1);   // the JDK names a fresh socket file in its temporary directory
        } else if (family == StandardProtocolFamily.INET) {
            channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
        } else {
            try {
                channel.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), 1);
            } catch (IOException noIpv6Loopback) {
                channel.bind(new InetSocketAddress(0), 1);
            }
        }
        return channel.getLocalAddress();
    }
}
