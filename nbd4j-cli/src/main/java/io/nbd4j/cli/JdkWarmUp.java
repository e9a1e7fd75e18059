package io.nbd4j.cli;

import io.nbd4j.spi.WarmUp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * JDK initialisation that a start will need later, begun on threads of their own as soon as the command
 * line says a Unix socket will be opened, so that it overlaps with loading and configuring the layers
 * on the other core instead of adding to the time before the server listens.
 *
 * <p>The JDK's first Unix-domain socket initialises its socket classes and makes a {@code SecureRandom}
 * for temporary socket names (even for a socket bound to a given path), which loads the security
 * providers: 10–15 ms of a captive start that the main thread would otherwise wait for. Opening and
 * closing one unbound socket does all of it. The two halves are independent and each takes several
 * milliseconds (the socket classes begin by asking the class path for a {@code SelectorProvider}
 * service), so the {@code SecureRandom} the socket classes will ask for is made at once on a thread of
 * its own: it is the longer half, and the socket's initialisation then finds it made or being made.
 *
 * <p><b>Threads.</b> Stateless; the work runs on {@link WarmUp}'s thread and one short-lived daemon
 * thread, and a thread that needs the same classes meanwhile waits for their initialisation as usual.
 * Both halves take the security classes in the same order (through {@code SecureRandom.getInstance}),
 * so neither can wait on a class the other holds half-initialised.
 */
final class JdkWarmUp {
    private JdkWarmUp() {}

    static void unixSockets() {
        Thread random = new Thread(JdkWarmUp::socketNameRandom, "nbd4j-warm-up-random");
        random.setDaemon(true);
        random.start();
        WarmUp.inBackground(() -> {
            try (SocketChannel unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                // Opening it was the point.
            } catch (IOException | UnsupportedOperationException e) {
                // No Unix sockets here (or no descriptor left): the server reports it when it listens.
            }
        });
    }

    /** What {@code sun.nio.ch.UnixDomainSockets} asks for when first used, with its fallback. */
    private static void socketNameRandom() {
        try {
            SecureRandom.getInstance("NativePRNGNonBlocking");
        } catch (NoSuchAlgorithmException e) {
            new SecureRandom();
        }
    }
}
