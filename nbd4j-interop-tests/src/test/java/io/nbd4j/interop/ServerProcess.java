package io.nbd4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One server running in the foreground ({@code -f}) on a Unix socket in a directory the test owns. Starting
 * returns once the socket accepts connections; closing sends SIGTERM, waits, and fails the test if the server
 * had died on its own, needed SIGKILL, or left a child process behind. Used by the one test thread that
 * started it.
 */
final class ServerProcess implements AutoCloseable {
    /** Long enough for a JVM's first start on a busy two-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    /** Who runs, for messages: the server's name, or the program of {@link #startProgram}. */
    private final String server;
    private final Process process;
    private final Path socket;
    private final Path stderrFile;
    private final List<String> command;
    private boolean killedOnPurpose;

    private ServerProcess(String server, Process process, Path socket, Path stderrFile, List<String> command) {
        this.server = server;
        this.process = process;
        this.socket = socket;
        this.stderrFile = stderrFile;
        this.command = command;
    }

    /**
     * Starts {@code <server> -f -U <dir>/sock <args...>} and waits until the socket accepts a connection.
     * {@code dir} must be short: a Unix socket path holds at most 107 bytes.
     */
    static ServerProcess start(Server server, Path dir, String... args) {
        return start(server, dir, Map.of(), args);
    }

    /** Like {@link #start(Server, Path, String...)} with more environment variables for the server. */
    static ServerProcess start(Server server, Path dir, Map<String, String> environment, String... args) {
        Path socket = dir.resolve("sock");
        List<String> arguments = new ArrayList<>(List.of("-f", "-U", socket.toString()));
        arguments.addAll(List.of(args));
        return launch(server.toString(), dir, socket, environment, server.command(arguments));
    }

    /**
     * Starts another NBD server program (e.g. {@code qemu-nbd}) that listens on {@code <dir>/sock}, which
     * {@code command} must name, and waits until the socket accepts a connection.
     */
    static ServerProcess startProgram(Path dir, List<String> command) {
        return startProgram(dir, Map.of(), command);
    }

    /** Like {@link #startProgram(Path, List)} with more environment variables for the program. */
    static ServerProcess startProgram(Path dir, Map<String, String> environment, List<String> command) {
        return launch(command.getFirst(), dir, dir.resolve("sock"), environment, command);
    }

    private static ServerProcess launch(String server, Path dir, Path socket, Map<String, String> environment,
                                        List<String> command) {
        Path stderrFile = dir.resolve("server-stderr.txt");
        Process process;
        try {
            ProcessBuilder builder = Commands.builder(command);
            builder.environment().putAll(environment);
            process = builder
                    .redirectOutput(dir.resolve("server-stdout.txt").toFile())
                    .redirectError(stderrFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ServerProcess started = new ServerProcess(server, process, socket, stderrFile, command);
        started.awaitListening();
        return started;
    }

    /**
     * Runs {@code <server> -U - <args...> --run CMD} (captive mode) and returns its exit status and output.
     * The server must stop by itself when CMD ends; the deadline catches one that does not.
     */
    static ProcessResult captive(Server server, List<String> args, String shellCommand) {
        return captive(server, Map.of(), args, shellCommand);
    }

    /** Like {@link #captive(Server, List, String)} with more environment variables for the server and CMD. */
    static ProcessResult captive(Server server, Map<String, String> environment, List<String> args, String shellCommand) {
        List<String> arguments = new ArrayList<>(List.of("-U", "-"));
        arguments.addAll(args);
        arguments.add("--run");
        arguments.add(shellCommand);
        return Commands.run(Duration.ofSeconds(120), null, environment, server.command(arguments));
    }

    Path socket() {
        return socket;
    }

    /** The server's process id (the launcher execs the JVM, so it is the server itself). */
    long pid() {
        return process.pid();
    }

    /** The NBD URI of the default export. */
    String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    String stderr() {
        try {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + stderrFile + ": " + e + ")";
        }
    }

    /** Fails unless the server is still running, e.g. after it was sent malformed input. */
    void assertAlive() {
        if (!process.isAlive()) {
            fail(server + " died (exit status " + process.exitValue() + ")\n--- stderr ---\n" + stderr());
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            if (!process.isAlive()) {
                fail("server exited with status " + process.exitValue() + " before listening: " + command
                        + "\n--- stderr ---\n" + stderr());
            }
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(address);
                    return;
                } catch (IOException notYetListening) {
                    // Bound but not yet listening: try again until the deadline.
                }
            }
            if (System.nanoTime() > deadline) {
                Commands.killTree(process.toHandle());
                fail("server did not listen on " + socket + " within " + START_TIMEOUT + ": " + command
                        + "\n--- stderr ---\n" + stderr());
            }
            pause();
        }
    }

    /**
     * Kills the server with SIGKILL (the launcher execs the JVM, so the process is the server itself)
     * and waits for it to be gone; {@link #close} then has nothing left to do.
     */
    void killNow() throws InterruptedException {
        killedOnPurpose = true;
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(server + " survived SIGKILL for " + STOP_TIMEOUT);
        }
    }

    @Override
    public void close() {
        if (killedOnPurpose) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        boolean diedEarlier = !process.isAlive();
        process.destroy();
        boolean stopped;
        try {
            stopped = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (!stopped) {
            Commands.killTree(process.toHandle());
            fail(server + " did not stop within " + STOP_TIMEOUT + " of SIGTERM\n--- stderr ---\n" + stderr());
        }
        List<ProcessHandle> leftovers = children.stream().filter(ProcessHandle::isAlive).toList();
        leftovers.forEach(ProcessHandle::destroyForcibly);
        if (!leftovers.isEmpty()) {
            fail(server + " left processes behind after SIGTERM: " + leftovers);
        }
        if (diedEarlier) {
            fail(server + " had exited before the test stopped it (status " + process.exitValue()
                    + ")\n--- stderr ---\n" + stderr());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the server", e);
        }
    }
}
