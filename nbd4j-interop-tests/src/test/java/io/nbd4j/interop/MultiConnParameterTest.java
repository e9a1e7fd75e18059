package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad multi-conn parameter stops the server before it listens, with a non-zero exit status, while a good
 * value of the same parameter starts it (so the refusal is about the value, not a missing filter). nbd4j's
 * own message must also name the parameter and the values it accepts; nbdkit's wording is not ours to check.
 */
class MultiConnParameterTest {
    /** A server that wrongly starts would run until this deadline and fail the test. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ServerTest
    void unknownModeIsRefusedNamingTheModes(Server server) {
        assertRefused(server, "multi-conn-mode=bogus", "multi-conn-mode=unsafe",
                "multi-conn-mode", "auto", "emulate", "plugin", "unsafe", "disable");
    }

    @ServerTest
    void unknownDirtyTrackingLevelIsRefusedNamingTheLevels(Server server) {
        assertRefused(server, "multi-conn-track-dirty=sometimes", "multi-conn-track-dirty=conn",
                "multi-conn-track-dirty", "connection", "fast", "off");
    }

    @ServerTest
    void exportNameKnobThatIsNotABooleanIsRefused(Server server) {
        assertRefused(server, "multi-conn-exportname=perhaps", "multi-conn-exportname=on", "multi-conn-exportname");
    }

    private void assertRefused(Server server, String bad, String good, String... mentioned) {
        ProcessResult accepted = ServerProcess.captive(server, List.of("--filter=multi-conn", "memory", "1M", good),
                "nbdinfo --can multi-conn \"$uri\"");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();

        ProcessResult r = Commands.run(DEADLINE, null, server.command(List.of(
                "-f", "-U", dir.resolve("sock").toString(), "--filter=multi-conn", "memory", "1M", bad)));

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        if (server == Server.NBD4J) {
            List<String> ours = r.stderrLines().stream().filter(l -> l.startsWith("nbd4j: ")).toList();
            assertThat(ours).as(r.toString()).hasSize(1);
            assertThat(ours.getFirst()).as(r.toString()).contains(mentioned);
            assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ", "Exception");
        }
    }
}
