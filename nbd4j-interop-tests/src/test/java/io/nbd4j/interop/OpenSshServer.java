package io.nbd4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real SSH server for the tests: Debian's OpenSSH {@code sshd} in the foreground on 127.0.0.1 and a free
 * port, with a host key, a user key and a known-hosts file made for the test in its directory. It lets
 * the current user (root in CI) in with that key only; SFTP is served in-process ({@code internal-sftp}).
 * The test that starts it closes it.
 */
final class OpenSshServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path dir;

    private OpenSshServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static OpenSshServer start(Path dir) {
        if (!Files.isExecutable(SSHD)) {
            fail(SSHD + " is missing: install openssh-server (see ./run-tests)");
        }
        int port = LocalPorts.free();
        try {
            keygen(dir.resolve("host_key"));
            keygen(dir.resolve("user_key"));
            Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
            String hostKey = Files.readString(dir.resolve("host_key.pub")).strip();
            String[] fields = hostKey.split(" ");
            Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + fields[0] + " " + fields[1] + "\n");
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    "HostKey " + dir.resolve("host_key"),
                    "PidFile none",
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    // The test's files live in a temporary directory whose modes sshd would refuse.
                    "StrictModes no",
                    "PermitRootLogin prohibit-password",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "Subsystem sftp internal-sftp", ""));
            if (ProcessHandle.current().info().user().orElse("").equals("root")) {
                // sshd started by root separates privileges into this directory, which a fresh container lacks.
                Files.createDirectories(Path.of("/run/sshd"));
            }
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            LocalPorts.awaitListening(port, process, START_TIMEOUT, "sshd");
            return new OpenSshServer(process, port, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sshd", e);
        }
    }

    private static void keygen(Path key) {
        Commands.runOk(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "nbd4j-test", "-f", key.toString()));
    }

    int port() {
        return port;
    }

    Path userKey() {
        return dir.resolve("user_key");
    }

    Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** The ssh plugin's arguments for the file {@code path} on this server, as the current user with the test's key. */
    List<String> pluginArgs(Path path, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ssh", "host=127.0.0.1", "port=" + port,
                "user=" + System.getProperty("user.name"), "identity=" + userKey(), "known-hosts=" + knownHosts(),
                path.toString()));
        args.addAll(List.of(more));
        return args;
    }

    @Override
    public void close() {
        LocalPorts.stop(process);
    }
}
