package io.nbd4j.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real NBD server (nbdkit or qemu-nbd) run as a child process with its own temporary directory, for
 * tests, listening on a Unix socket in that directory (or on loopback TCP). {@link #close} stops the
 * process and deletes the directory.
 */
final class ExternalServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final NbdAddress address;

    private ExternalServer(Process process, Path dir, NbdAddress address) {
        this.process = process;
        this.dir = dir;
        this.address = address;
    }

    /** Starts {@code nbdkit -f -U <sock> args...}; {@code {dir}} in an argument becomes the temp directory. */
    static ExternalServer nbdkit(String... args) {
        return start(null, dir -> nbdkitCommand(List.of("-U", dir.resolve("sock").toString()), dir, args));
    }

    /** Starts nbdkit listening on TCP {@code 127.0.0.1:port}, on a port that was free a moment ago. */
    static ExternalServer nbdkitTcp(String... args) {
        int port = freePort();
        return start(NbdAddress.tcp("127.0.0.1", port),
                dir -> nbdkitCommand(List.of("-i", "127.0.0.1", "-p", Integer.toString(port)), dir, args));
    }

    private static List<String> nbdkitCommand(List<String> listen, Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("nbdkit", "-f", "--exit-with-parent"));
        command.addAll(listen);
        for (String arg : args) {
            command.add(arg.replace("{dir}", dir.toString()));
        }
        return command;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code qemu-nbd} serving the raw {@code image} (which must lie in no directory this deletes). */
    static ExternalServer qemuNbd(Path image) {
        return start(null, dir -> List.of("qemu-nbd", "-f", "raw", "-t", "-k", dir.resolve("sock").toString(),
                image.toString()));
    }

    private interface CommandLine {
        List<String> build(Path dir);
    }

    /** @param tcp the TCP address the command listens on, or null for the Unix socket {@code <dir>/sock} */
    private static ExternalServer start(NbdAddress tcp, CommandLine commandLine) {
        try {
            Path dir = Files.createTempDirectory("nbd4j-client-test");
            Process process = new ProcessBuilder(commandLine.build(dir))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile())
                    .start();
            NbdAddress address = tcp != null ? tcp : NbdAddress.unix(dir.resolve("sock"));
            ExternalServer server = new ExternalServer(process, dir, address);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls until the server accepts a connection: it offers no readiness signal a test can wait on, and
     * a Unix socket file appears just before the server listens on it.
     */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IOException("server exited with " + process.exitValue() + ": " + log);
            }
            try (SocketChannel probe = Transport.openChannel(address)) {
                return;
            } catch (IOException notYet) {
                // not yet bound or not yet listening
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server", e);
            }
        }
        String log = log();
        close();
        throw new IOException("server did not listen on " + address + " within 15 s: " + log);
    }

    Path dir() {
        return dir;
    }

    NbdAddress address() {
        return address;
    }

    /** The server's NBD URI with {@code exportName} in the path. */
    String uri(String exportName) {
        return switch (address) {
            case NbdAddress.Unix unix -> "nbd+unix:///" + exportName + "?socket=" + unix.socket();
            case NbdAddress.Tcp tcp -> "nbd://" + tcp.host() + ":" + tcp.port() + "/" + exportName;
        };
    }

    NbdClient connect() throws IOException {
        return NbdClient.connect(address(), NbdClient.Options.defaults());
    }

    NbdClient connect(NbdClient.Options options) throws IOException {
        return NbdClient.connect(address(), options);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the server at once, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
