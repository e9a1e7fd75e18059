package io.nbd4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/** Free TCP ports on 127.0.0.1 for servers the tests start, and waiting until one accepts. Stateless. */
final class LocalPorts {
    private LocalPorts() {}

    /** A port nothing listens on now (the server started next binds it; another process could in between, rarely). */
    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Waits until {@code port} accepts a connection, failing if {@code process} dies or the deadline passes. */
    static void awaitListening(int port, Process process, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail(what + " exited with status " + process.exitValue() + " before listening on port " + port);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                // Not listening yet: try again until the deadline.
            }
            if (System.nanoTime() > deadline) {
                Commands.killTree(process.toHandle());
                fail(what + " did not listen on port " + port + " within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Stops a server process the test started: SIGTERM, then SIGKILL if it lingers. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                Commands.killTree(process.toHandle());
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Commands.killTree(process.toHandle());
        }
    }
}
