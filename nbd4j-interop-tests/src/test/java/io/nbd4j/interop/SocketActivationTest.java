package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * systemd socket activation: the server serves on the listening sockets a service manager passed it
 * (descriptors 3 on, {@code LISTEN_FDS}, {@code LISTEN_PID}), here Debian's {@code systemd-socket-activate},
 * and the nbd plugin's {@code command=} can start the server itself that way.
 */
class SocketActivationTest {
    @TempDir
    Path dir;

    @ServerTest
    void servesOnEveryUnixAndTcpSocketTheServiceManagerPassed(Server server) {
        int port = LocalPorts.free();
        Path socket = dir.resolve("sock");
        List<String> command = new ArrayList<>(List.of("systemd-socket-activate",
                "-l", socket.toString(), "-l", "127.0.0.1:" + port));
        command.addAll(server.command(List.of("memory", "1M")));
        try (ServerProcess activated = ServerProcess.startProgram(dir, command)) {
            Commands.runOk(List.of("nbdsh", "-u", activated.uri(), "-c", "h.pwrite(b'unix' * 128, 0)"));

            ProcessResult overTcp = Commands.runOk(List.of("nbdsh", "-u", "nbd://127.0.0.1:" + port,
                    "-c", "print(h.get_size()); print(h.pread(4, 0))"));

            assertThat(overTcp.stdout()).isEqualTo("1048576\nbytearray(b'unix')\n");
        }
    }

    /** Binds a listening Unix socket ({@code argv[1]}) as descriptor 3 and execs the rest as an activated server. */
    static final String ACTIVATOR = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind(sys.argv[1])
            s.listen()
            os.dup2(s.fileno(), 3)
            os.set_inheritable(3, True)
            os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
            os.execvp(sys.argv[2], sys.argv[2:])
            """;

    @ServerTest
    void optionsThatChooseWhereToListenAreRefusedUnderActivation(Server server) {
        List<String> command = new ArrayList<>(List.of("python3", "-c", ACTIVATOR, dir.resolve("activated").toString()));
        command.addAll(server.command(List.of("-U", dir.resolve("sock").toString(), "memory", "1M")));

        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, dir, command);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).as(r.toString()).contains("-U").contains("socket activation");
    }

    /** libnbd's and our nbd plugin's {@code command=} hand the child a socket the same way. */
    @ServerTest
    void theNbdPluginStartsAnActivatedNbd4jAsItsUpstream(Server server) {
        String launcher = Server.NBD4J.command().getFirst();
        ProcessResult r = ServerProcess.captive(server,
                List.of("nbd", "command=" + launcher, "arg=memory", "arg=2M"),
                "nbdsh -u \"$uri\" -c 'h.pwrite(b\"x\" * 512, 0); print(h.get_size(), h.pread(2, 0))'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("2097152 bytearray(b'xx')\n");
    }
}
