package io.nbd4j.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real NBD server (nbdkit or qemu-nbd) run as a child process on a Unix socket in its own temporary
 * directory, for tests. {@link #close} stops the process and deletes the directory.
 */
final class ExternalServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path socket;

    private ExternalServer(Process process, Path dir, Path socket) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
    }

    /** Starts {@code nbdkit -f -U <sock> args...}; {@code {dir}} in an argument becomes the temp directory. */
    static ExternalServer nbdkit(String... args) {
        return start(dir -> {
            List<String> command = new ArrayList<>(List.of("nbdkit", "-f", "--exit-with-parent", "-U",
                    dir.resolve("sock").toString()));
            for (String arg : args) {
                command.add(arg.replace("{dir}", dir.toString()));
            }
            return command;
        });
    }

    /** Starts {@code qemu-nbd} serving the raw {@code image} (which must lie in no directory this deletes). */
    static ExternalServer qemuNbd(Path image) {
        return start(dir -> List.of("qemu-nbd", "-f", "raw", "-t", "-k", dir.resolve("sock").toString(),
                image.toString()));
    }

    private interface CommandLine {
        List<String> build(Path dir);
    }

    private static ExternalServer start(CommandLine commandLine) {
        try {
            Path dir = Files.createTempDirectory("nbd4j-client-test");
            Path socket = dir.resolve("sock");
            Process process = new ProcessBuilder(commandLine.build(dir))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile())
                    .start();
            ExternalServer server = new ExternalServer(process, dir, socket);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls until the socket accepts a connection: the server offers no readiness signal a test can
     * wait on, and the socket file appears just before the server listens on it.
     */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + ": " + log());
            }
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // bound but not yet listening
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server", e);
            }
        }
        close();
        throw new IOException("server did not listen on " + socket + " within 15 s: " + log());
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return socket;
    }

    NbdAddress address() {
        return NbdAddress.unix(socket);
    }

    String uri(String exportName) {
        return "nbd+unix:///" + exportName + "?socket=" + socket;
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
