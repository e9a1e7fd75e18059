package io.nbd4j.interop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Without {@code -f} the server detaches: the command returns, the server keeps serving under the process id
 * written to the pidfile, and SIGTERM to that id stops it.
 */
class BackgroundModeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /**
     * A detached server is not our child, so nothing stops it for us. Whatever failed, kill every process
     * whose command line names this test's private directory: only the servers this test started do.
     */
    @AfterEach
    void killDetachedServers() {
        String marker = dir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @ServerTest
    void detachedServerWritesItsPidfileServesAndStopsOnSigterm(Server server) throws Exception {
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");

        ProcessResult started = Commands.runOk(DEADLINE, null,
                server.command(List.of("-P", pidfile.toString(), "-U", socket.toString(), "memory", "1M")));
        boolean pidfileWrittenBeforeReturn = Files.exists(pidfile);
        ProcessHandle daemon = awaitPidfile(pidfile);

        if (server == Server.NBD4J) {
            // nbdkit 1.32 may write it just after returning; ours promises scripts it is there on return.
            assertThat(pidfileWrittenBeforeReturn).as("pidfile exists when the command returns\n" + started).isTrue();
        }
        assertThat(daemon.isAlive()).isTrue();
        assertThat(Clients.nbdinfo("--size", "nbd+unix:///?socket=" + socket).strip()).isEqualTo("1048576");

        stop(daemon);

        if (server == Server.NBD4J) {
            assertThat(socket).as("the socket is removed at exit").doesNotExist();
        }
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void detachedServerOnAPrivateSocketRemovesItsDirectoryWhenStopped() throws Exception {
        Path pidfile = dir.resolve("pid");

        ProcessResult started = Commands.runOk(DEADLINE, null,
                Server.NBD4J.command(List.of("-P", pidfile.toString(), "-U", "-", "--print-uri", "memory", "1M")));
        ProcessHandle daemon = awaitPidfile(pidfile);

        String uri = started.stdout().strip();
        assertThat(uri).as(started.toString()).startsWith("nbd+unix://?socket=/").endsWith("/socket");
        Path socket = Path.of(uri.substring(uri.indexOf("?socket=") + "?socket=".length()));
        assertThat(Clients.nbdinfo("--size", uri).strip()).isEqualTo("1048576");

        stop(daemon);

        assertThat(socket.getParent()).as("the private directory of -U -").doesNotExist();
    }

    /** As nbdkit reads its stdin before it forks, a detached server still gets an inline script ({@code sh -}). */
    @ServerTest
    void detachedServerReadsAnInlineScriptFromItsStdin(Server server) throws Exception {
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");
        Path script = Files.writeString(dir.resolve("script.sh"), """
                case "$1" in
                  get_size) echo 3M ;;
                  pread) dd if=/dev/zero count=$3 iflag=count_bytes status=none ;;
                  *) exit 2 ;;
                esac
                """);

        ProcessResult started = Commands.run(DEADLINE, null,
                server.command(List.of("-P", pidfile.toString(), "-U", socket.toString(), "sh", "-")), script);
        assertThat(started.exitCode()).as(started.toString()).isZero();
        ProcessHandle daemon = awaitPidfile(pidfile);

        assertThat(Clients.nbdinfo("--size", "nbd+unix:///?socket=" + socket).strip()).isEqualTo("3145728");
        stop(daemon);
    }

    /**
     * A service manager may start the server with no stdin at all. Ours serves anyway (the detached server
     * lets go of its stdin, which must then not be one of the JVM's own files); nbdkit 1.32 refuses to
     * start ("expecting stdin/stdout to be opened").
     */
    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void detachedServerStartsWithItsStdinClosed() throws Exception {
        Server server = Server.NBD4J;
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" <&-"));
        command.addAll(server.command(List.of("-P", pidfile.toString(), "-U", socket.toString(), "memory", "1M")));

        Commands.runOk(DEADLINE, null, command);
        ProcessHandle daemon = awaitPidfile(pidfile);

        assertThat(Clients.nbdinfo("--size", "nbd+unix:///?socket=" + socket).strip()).isEqualTo("1048576");
        stop(daemon);
    }

    /**
     * A detached server is a background job of the launcher script, which starts with SIGINT ignored;
     * nbdkit stops on SIGINT whatever it inherited, and so must we.
     */
    @ServerTest
    void detachedServerStopsOnSigint(Server server) throws Exception {
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");

        Commands.runOk(DEADLINE, null, server.command(List.of("-P", pidfile.toString(), "-U", socket.toString(), "memory", "1M")));
        ProcessHandle daemon = awaitPidfile(pidfile);

        interruptAndAwaitExit(daemon);
    }

    /** A foreground server whose parent ignored SIGINT (nohup, a script's background job) still stops on it. */
    @ServerTest
    void foregroundServerStartedWithSigintIgnoredStopsOnSigint(Server server) throws Exception {
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        command.addAll(server.command(List.of("-f", "-P", pidfile.toString(), "-U", socket.toString(), "memory", "1M")));
        Process foreground = Commands.builder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            ProcessHandle daemon = awaitPidfile(pidfile);
            assertThat(Clients.nbdinfo("--size", "nbd+unix:///?socket=" + socket).strip()).isEqualTo("1048576");

            interruptAndAwaitExit(daemon);
        } finally {
            Commands.killTree(foreground.toHandle());
        }
    }

    private static void interruptAndAwaitExit(ProcessHandle daemon) throws InterruptedException, ExecutionException {
        Commands.runOk(DEADLINE, null, List.of("kill", "-INT", Long.toString(daemon.pid())));
        try {
            daemon.onExit().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("process " + daemon.pid() + " did not exit within " + DEADLINE + " of SIGINT");
        }
    }

    private static ProcessHandle awaitPidfile(Path pidfile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            if (Files.exists(pidfile)) {
                String text = Files.readString(pidfile).strip();
                if (!text.isEmpty()) {
                    long pid = Long.parseLong(text);
                    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no pidfile at " + pidfile + " within " + DEADLINE);
            }
            Thread.sleep(10);
        }
    }

    private static void stop(ProcessHandle daemon) throws InterruptedException, ExecutionException {
        assertThat(daemon.destroy()).as("SIGTERM delivered").isTrue();
        try {
            daemon.onExit().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("process " + daemon.pid() + " did not exit within " + DEADLINE + " of SIGTERM");
        }
    }
}
