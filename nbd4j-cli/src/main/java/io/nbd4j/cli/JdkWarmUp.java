package io.nbd4j.cli;

import io.nbd4j.spi.WarmUp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * JDK initialisation that a start will need later, begun on a thread of its own as soon as the command
 * line says a Unix socket will be opened, so that it overlaps with loading and configuring the layers
 * on the other core instead of adding to the time before the server listens.
 *
 * <p>The JDK's first Unix-domain socket initialises its socket classes and makes a {@code SecureRandom}
 * for temporary socket names (even for a socket bound to a given path), which loads the security
 * providers: 10–15 ms of a captive start that the main thread would otherwise wait for. Opening and
 * closing one unbound socket does all of it.
 *
 * <p><b>Threads.</b> Stateless; the work runs on {@link WarmUp}'s thread, and a thread that needs the
 * same classes meanwhile waits for their initialisation as usual.
 */
final class JdkWarmUp {
    private JdkWarmUp() {}

    static void unixSockets() {
        WarmUp.inBackground(() -> {
            try (SocketChannel unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                // Opening it was the point.
            } catch (IOException | UnsupportedOperationException e) {
                // No Unix sockets here (or no descriptor left): the server reports it when it listens.
            }
        });
    }
}
