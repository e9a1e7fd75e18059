package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User mistakes on the command line: the server must not start, must exit with status 1, and (for nbd4j,
 * whose wording we own) must say in one line what was wrong. nbdkit's wording differs, so only its exit
 * status is compared.
 */
class CommandLineErrorTest {
    /** A server that wrongly starts would run until this deadline and fail the test. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ServerTest
    void unknownPluginIsRefused(Server server) {
        assertRefused(server, foreground("no-such-plugin"), "no-such-plugin");
    }

    @ServerTest
    void sizeWithAnUnknownSuffixIsRefused(Server server) {
        assertRefused(server, foreground("memory", "1Q"), "1Q");
    }

    @ServerTest
    void unknownPluginParameterIsRefused(Server server) {
        assertRefused(server, foreground("memory", "1M", "foo=bar"), "foo");
    }

    @ServerTest
    void singleModeCannotBeCombinedWithRun(Server server) {
        assertRefused(server, List.of("-s", "memory", "1M", "--run", "true"), "--run");
    }

    @ServerTest
    void singleModeCannotBeCombinedWithDumpPlugin(Server server) {
        ProcessResult r = assertRefused(server, List.of("--dump-plugin", "-s", "null"), "--dump-plugin");

        assertThat(r.stdout()).as("nothing is dumped").isEmpty();
    }

    /** With {@code -s} stdin is the client's connection, so a script cannot be read from it. */
    @ServerTest
    void singleModeRefusesAnInlineScriptWithoutRunningIt(Server server) throws Exception {
        Path ran = dir.resolve("ran");
        Path script = Files.writeString(dir.resolve("script.sh"), "echo \"$1\" >> " + ran + "\n");

        ProcessResult r = Commands.run(DEADLINE, null, server.command(List.of("-s", "sh", "-")), script);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(ran).as("the script never ran").doesNotExist();
        if (server == Server.NBD4J) {
            assertThat(r.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("nbd4j: error: sh: script=-").contains("-s"));
        }
    }

    private List<String> foreground(String... words) {
        List<String> args = new ArrayList<>(List.of("-f", "-U", dir.resolve("sock").toString()));
        args.addAll(List.of(words));
        return args;
    }

    private static ProcessResult assertRefused(Server server, List<String> args, String culprit) {
        ProcessResult r = Commands.run(DEADLINE, null, server.command(args));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        if (server == Server.NBD4J) {
            // The JVM may add its own warnings; what we print is the one line prefixed with our name.
            List<String> ours = r.stderrLines().stream().filter(l -> l.startsWith("nbd4j: ")).toList();
            assertThat(ours).as(r.toString()).hasSize(1);
            assertThat(ours.getFirst()).startsWith("nbd4j: error: ").contains(culprit);
            assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ", "Exception");
        }
        return r;
    }
}
