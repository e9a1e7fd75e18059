package io.nbd4j.cli;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * JDK initialisation that a start will need later, begun early on a thread of its own so that it
 * overlaps with configuring the layers on another core instead of adding to the time before the
 * server listens.
 *
 * <p>The JDK's Unix-domain sockets draw temporary names from a {@code SecureRandom} made when their
 * first socket is opened, even a socket bound to a given path; making it initialises the security
 * providers, about 10 ms of a captive start on the main thread (15–20 ms on a busy machine).
 *
 * <p><b>Threads.</b> Stateless; the work runs on a daemon thread, and a thread that needs the same
 * classes meanwhile waits for their initialisation as usual.
 */
final class JdkWarmUp {
    private JdkWarmUp() {}

    static void unixSockets() {
        Thread.ofPlatform().daemon().name("nbd4j-warm-up").start(() -> {
            try {
                SecureRandom.getInstance("NativePRNGNonBlocking");
            } catch (NoSuchAlgorithmException e) {
                // Not on this platform: the JDK then makes another kind, which the socket will initialise itself.
            }
        });
    }
}
