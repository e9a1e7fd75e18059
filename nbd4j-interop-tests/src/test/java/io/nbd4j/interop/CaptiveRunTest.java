package io.nbd4j.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Captive mode ({@code --run}): the command sees the server through shell variables and decides the exit status. */
class CaptiveRunTest {

    @ServerTest
    void runCommandSeesTheExportSizeThroughNbdinfo(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("memory", "1G"), "nbdinfo \"$uri\"");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("export-size: 1073741824");
    }

    /** Scripts capture a captive command's output, so the server (and its runtime) must print nothing there. */
    @ServerTest
    void runCommandOutputIsAllThatAppearsOnStdout(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("memory", "1M"), "echo only-this");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).isEqualTo("only-this\n");
    }

    /** Without -v, a run that goes well is silent on stderr too: the runtime's and libraries' notes included. */
    @ServerTest
    void aQuietRunThatGoesWellWritesNothingToStderr(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("memory", "1M"), "nbdinfo --size \"$uri\" >/dev/null");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).as(r.toString()).isEmpty();
    }

    /**
     * The data plugin reads {@code $VAR}s from the environment and sh scripts and --run commands inherit
     * it, so an exported variable must arrive unchanged even when its name is one the launcher script
     * uses for its own work (nbdkit's test-data-format.sh exports {@code a}, {@code b} and {@code c}).
     */
    @ServerTest
    void exportedVariablesReachTheServerAndTheRunCommandUnchangedWhateverTheirNames(Server server) {
        Map<String, String> exported = Map.of("a", " 1 2 ", "m", "m-value", "name", "name-value",
                "root", "root-value", "jar", "jar-value", "log", "log-value", "java", "java-value");

        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, exported, server.command(List.of(
                "-U", "-", "data", " $a ",
                "--run", "printf '%s|' \"$a\" \"$m\" \"$name\" \"$root\" \"$jar\" \"$log\" \"$java\"; "
                        + "nbdinfo --size \"$uri\"")));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(" 1 2 |m-value|name-value|root-value|jar-value|log-value|java-value|2\n");
    }

    /**
     * A captive run ends the process without the JVM's own exit once the server has stopped: what the
     * layers write when they unload (the stats summary, the log filter's last line) must all be there
     * when the command returns, and its exit status must be the command's.
     */
    @ServerTest
    void whatTheLayersWriteAtUnloadIsCompleteWhenTheRunReturns(Server server) throws IOException {
        Path dir = Files.createTempDirectory("nbd4j-captive-unload");
        Path stats = dir.resolve("stats");
        Path log = dir.resolve("log");
        try {
            ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, server.command(List.of(
                    "-U", "-", "--filter=log", "--filter=stats", "--run", "nbdinfo --size \"$uri\"; exit 4",
                    "memory", "1M", "statsfile=" + stats, "logfile=" + log)));

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.stdout()).as(r.toString()).isEqualTo("1048576\n");
            assertThat(Files.readString(stats)).startsWith("total: 0 ops");
            assertThat(Files.readString(log).strip().lines().toList().getLast()).contains("Disconnect transactions=0");
        } finally {
            Files.deleteIfExists(stats);
            Files.deleteIfExists(log);
            Files.deleteIfExists(dir);
        }
    }

    @ServerTest
    void exitStatusOfTheRunCommandBecomesTheServersExitStatus(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("memory", "1M"), "exit 3");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    }

    @ServerTest
    void runCommandGetsUriNbdUnixsocketPortAndExportnameVariables(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("-e", "foo", "memory", "1M"),
                "printf '%s\\n' \"uri=$uri\" \"nbd=$nbd\" \"unixsocket=$unixsocket\" \"port=$port\" "
                        + "\"exportname=$exportname\"; test -S \"$unixsocket\" && echo socket-exists=yes");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, String> vars = r.stdout().lines()
                .map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        String socket = vars.get("unixsocket");
        assertThat(socket).as(r.stdout()).startsWith("/").endsWith("/socket");
        assertThat(vars).containsEntry("uri", "nbd+unix:///foo?socket=" + socket)
                .containsEntry("nbd", "nbd+unix:///foo?socket=" + socket)
                .containsEntry("port", "")
                .containsEntry("exportname", "foo")
                .containsEntry("socket-exists", "yes");
        assertThat(Files.exists(Path.of(socket).getParent()))
                .as("the private directory of -U - is removed when the server stops").isFalse();
    }

    @ServerTest
    void runCommandCanReadAndWriteThroughTheUri(Server server) {
        ProcessResult r = ServerProcess.captive(server, List.of("memory", "1M"),
                "nbdsh -u \"$uri\" -c 'h.pwrite(b\"captive\", 4096)' -c 'print(h.pread(7, 4096).decode())'");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("captive");
    }

    @ServerTest
    void runOnLoopbackTcpSetsThePortAndLeavesUnixsocketEmpty(Server server) throws IOException {
        int port = freeLoopbackPort();

        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, server.command(List.of(
                "-i", "127.0.0.1", "-p", Integer.toString(port), "memory", "1M",
                "--run", "echo \"port=$port unixsocket=$unixsocket\"; nbdinfo --size \"$uri\"")));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().lines()).containsExactly("port=" + port + " unixsocket=", "1048576");
    }

    /** A port nothing listens on right now; the small race with other programs is acceptable on a test machine. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
