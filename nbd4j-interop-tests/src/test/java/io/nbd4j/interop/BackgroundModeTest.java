package io.nbd4j.interop;

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
 * written to the pidfile, and SIGTERM to that id stops it. Each test kills the server it detached.
 */
class BackgroundModeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ServerTest
    void detachedServerWritesItsPidfileServesAndStopsOnSigterm(Server server) throws Exception {
        Path pidfile = dir.resolve("pid");
        Path socket = dir.resolve("sock");

        ProcessResult started = Commands.runOk(DEADLINE, null,
                server.command(List.of("-P", pidfile.toString(), "-U", socket.toString(), "memory", "1M")));
        if (server == Server.NBD4J) {
            // Our launcher returns only once the server listens and has written the pidfile.
            assertThat(pidfile).as(started.toString()).exists();
        }
        ProcessHandle daemon = awaitPidfile(pidfile);
        try {
            assertThat(daemon.isAlive()).isTrue();
            assertThat(Clients.nbdinfo("--size", "nbd+unix:///?socket=" + socket).strip()).isEqualTo("1048576");

            stop(daemon);

            if (server == Server.NBD4J) {
                assertThat(socket).as("the socket is removed at exit").doesNotExist();
            }
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
    void detachedServerOnAPrivateSocketRemovesItsDirectoryWhenStopped() throws Exception {
        Path pidfile = dir.resolve("pid");

        ProcessResult started = Commands.runOk(DEADLINE, null,
                Server.NBD4J.command(List.of("-P", pidfile.toString(), "-U", "-", "--print-uri", "memory", "1M")));
        ProcessHandle daemon = awaitPidfile(pidfile);
        try {
            String uri = started.stdout().strip();
            assertThat(uri).as(started.toString()).startsWith("nbd+unix://").contains("?socket=/");
            Path socket = Path.of(uri.substring(uri.indexOf("?socket=") + "?socket=".length()));
            assertThat(Clients.nbdinfo("--size", uri).strip()).isEqualTo("1048576");

            stop(daemon);

            assertThat(socket.getParent()).as("the private directory of -U -").doesNotExist();
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** nbdkit may write the pidfile just after its foreground half has exited, so wait for it. */
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
