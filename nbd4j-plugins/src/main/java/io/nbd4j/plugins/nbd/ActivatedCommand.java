package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An NBD server started as a child process with systemd socket activation, as nbdkit's {@code command=}
 * starts one through libnbd: the child finds a listening Unix socket as descriptor 3, with
 * {@code LISTEN_FDS=1} and {@code LISTEN_PID} set to its own process id, so {@code qemu-nbd},
 * {@code nbdkit} and any other activation-aware server serve on it without being told where. The socket
 * lives in a private temporary directory, removed at {@link #close}.
 *
 * <p>Threads: started and closed by the plugin's main-thread lifecycle; one platform thread waits for
 * the child so it never lingers as a zombie and its exit is logged.
 */
final class ActivatedCommand implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivatedCommand.class);
    /** Sets LISTEN_PID to the shell's own id, which the exec'd server keeps. */
    private static final String EXEC_WITH_LISTEN_PID = "LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"";
    private static final long STOP_GRACE_SECONDS = 5;

    private final List<String> command;
    private final int pid;
    private final Path directory;
    private final Path socket;
    private final Thread reaper;
    private volatile String exitStatus;
    private volatile boolean stopping;

    private ActivatedCommand(List<String> command, int pid, Path directory, Path socket) {
        this.command = command;
        this.pid = pid;
        this.directory = directory;
        this.socket = socket;
        this.reaper = Thread.ofPlatform().daemon().name("nbd-command-" + pid).start(this::awaitExit);
    }

    /** Starts {@code command} (program first, looked up on {@code PATH}) on a fresh activated socket. */
    static ActivatedCommand start(List<String> command) throws IOException {
        Path directory = Files.createTempDirectory("nbd4j-nbd-command-");
        Path socket = directory.resolve("sock");
        try {
            int fd = Posix.listeningUnixSocket(socket);
            try {
                List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", EXEC_WITH_LISTEN_PID, "nbd4j-nbd-command"));
                argv.addAll(command);
                int pid = Posix.spawnWithDescriptor3(argv, activationEnvironment(), fd);
                LOG.debug("nbd: started {} as process {} on activated socket {}", command, pid, socket);
                return new ActivatedCommand(List.copyOf(command), pid, directory, socket);
            } finally {
                Posix.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(socket);
            deleteQuietly(directory);
            throw e;
        }
    }

    /** Our environment without any activation variables of our own, plus {@code LISTEN_FDS=1}. */
    private static List<String> activationEnvironment() {
        List<String> environment = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (!e.getKey().startsWith("LISTEN_")) {
                environment.add(e.getKey() + "=" + e.getValue());
            }
        }
        environment.add("LISTEN_FDS=1");
        return environment;
    }

    NbdAddress address() {
        return NbdAddress.unix(socket);
    }

    /** Null while the child runs, then how it ended ("exit status N" or "signal N"). */
    String exitStatus() {
        return exitStatus;
    }

    private void awaitExit() {
        try {
            exitStatus = Posix.describeWaitStatus(Posix.waitpid(pid));
            if (stopping) {
                LOG.debug("nbd: command {} (process {}) ended with {}", command.getFirst(), pid, exitStatus);
            } else {
                LOG.warn("nbd: command {} (process {}) ended by itself with {}", command.getFirst(), pid, exitStatus);
            }
        } catch (IOException e) {
            exitStatus = "unknown (" + e.getMessage() + ")";
            LOG.warn("nbd: cannot wait for command process {}: {}", pid, e.getMessage());
        }
    }

    /** Asks the child to stop (SIGTERM), kills it if it has not within a few seconds, and removes the socket. */
    @Override
    public void close() {
        stopping = true;
        if (exitStatus == null) {
            Posix.kill(pid, Posix.SIGTERM);
            if (!joined(STOP_GRACE_SECONDS)) {
                LOG.warn("nbd: command process {} ignored SIGTERM for {} s; killing it", pid, STOP_GRACE_SECONDS);
                Posix.kill(pid, Posix.SIGKILL);
                joined(STOP_GRACE_SECONDS);
            }
        }
        deleteQuietly(socket);
        deleteQuietly(directory);
    }

    private boolean joined(long seconds) {
        try {
            return reaper.join(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover in /tmp is all that can go wrong
        }
    }
}
