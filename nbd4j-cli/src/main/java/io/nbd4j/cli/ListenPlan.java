package io.nbd4j.cli;

import io.nbd4j.server.SocketActivation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the server listens, decided from {@code -U}, {@code -p}, {@code -i} and {@code -s}, with
 * nbdkit's rules: {@code -U -} makes a private directory holding {@code socket}; without {@code -U} or
 * {@code -s} the server listens on TCP (port 10809 unless {@code -p} says otherwise). When the
 * environment holds a socket activation for this process ({@code LISTEN_PID}, {@code LISTEN_FDS}),
 * the server listens on the sockets passed instead, and, as in nbdkit, {@code -U}, {@code -p},
 * {@code -i}, {@code -s} and {@code --run} are refused (so is {@code --print-uri}: the service
 * manager, not the server, knows where clients connect).
 *
 * @param unixSocket   the Unix socket path, or null
 * @param privateDir   the directory made for {@code -U -}, removed at exit, or null
 * @param tcpHost      the address to bind, or null for every address
 * @param tcpPort      the TCP port, or -1 when not listening on TCP
 * @param single       serve one client on stdin/stdout
 * @param activation   the sockets a service manager passed, or null
 */
record ListenPlan(Path unixSocket, Path privateDir, String tcpHost, int tcpPort, boolean single,
                  SocketActivation activation) {
    static final int DEFAULT_PORT = 10809;

    static ListenPlan from(CliOptions o) throws UsageException {
        return from(o, System.getenv(), ProcessHandle.current().pid());
    }

    static ListenPlan from(CliOptions o, Map<String, String> environment, long pid) throws UsageException {
        if (o.threads < 1) {
            throw new UsageException("-t: the number of threads must be at least 1");
        }
        Optional<SocketActivation> activation;
        try {
            activation = SocketActivation.fromEnvironment(environment, pid);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (activation.isPresent()) {
            return activated(o, activation.get());
        }
        if (o.single && (o.unixSocket != null || o.port != null)) {
            throw new UsageException("-s cannot be combined with -U or -p");
        }
        if (o.single && o.run != null) {
            throw new UsageException("-s cannot be combined with --run");
        }
        if (o.unixSocket != null && o.port != null) {
            throw new UsageException("-U and -p cannot be combined");
        }
        if (o.single) {
            return new ListenPlan(null, null, null, -1, true, null);
        }
        if (o.unixSocket != null) {
            if (o.unixSocket.equals("-")) {
                Path dir = privateDirectory();
                return new ListenPlan(dir.resolve("socket"), dir, null, -1, false, null);
            }
            return new ListenPlan(Path.of(o.unixSocket).toAbsolutePath(), null, null, -1, false, null);
        }
        int port = o.port == null ? DEFAULT_PORT : o.port;
        if (port < 0 || port > 65535) {
            throw new UsageException("-p: port must be from 0 to 65535, got " + port);
        }
        return new ListenPlan(null, null, o.ipAddress, port, false, null);
    }

    private static ListenPlan activated(CliOptions o, SocketActivation activation) throws UsageException {
        String refused = o.unixSocket != null ? "-U" : o.port != null ? "-p" : o.ipAddress != null ? "-i"
                : o.single ? "-s" : o.run != null ? "--run" : o.printUri ? "--print-uri" : null;
        if (refused != null) {
            throw new UsageException(refused + " cannot be used with socket activation (LISTEN_FDS and LISTEN_PID "
                    + "are set for this process: the service manager has bound the sockets)");
        }
        return new ListenPlan(null, null, null, -1, false, activation);
    }

    /**
     * A new directory {@code /tmp/nbd4jNNNN} that only this user may enter. Always under /tmp, as nbdkit
     * does, so the socket path stays short enough for sun_path. The name need not be unguessable (the
     * directory is created atomically and refused if it exists), so it is not drawn from
     * {@code SecureRandom}, as {@link Files#createTempDirectory} would: initialising the security
     * providers for it cost a captive start about 10 ms.
     */
    private static Path privateDirectory() {
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; ; attempt++) {
            Path dir = Path.of("/tmp", "nbd4j" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(dir, mode);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw new UncheckedIOException("cannot create a private directory for -U -", taken);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a private directory for -U -", e);
            }
        }
    }

    /** Removes the private directory of {@code -U -}, if any. */
    void cleanUp() {
        if (privateDir == null) {
            return;
        }
        try {
            Files.deleteIfExists(unixSocket);
            Files.deleteIfExists(privateDir);
        } catch (IOException ignored) {
            // Best effort at exit: a leftover empty directory in /tmp harms nothing.
        }
    }
}
