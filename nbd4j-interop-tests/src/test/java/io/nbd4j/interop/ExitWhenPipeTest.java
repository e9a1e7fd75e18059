package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exit-when-pipe-closed=FD}: the server inherits the read end of a pipe as descriptor 5 and exits
 * by itself, successfully, once the writer (here a short {@code sleep} holding the other end) goes away.
 */
class ExitWhenPipeTest {
    @TempDir
    Path dir;

    @ServerTest
    void theServerExitsOnceTheOtherEndOfThePipeCloses(Server server) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" 5< <(sleep 1)", "with-pipe"));
        command.addAll(server.command(List.of("-f", "-U", dir.resolve("sock").toString(), "--filter=exitwhen", "null", "1M",
                "exit-when-pipe-closed=5", "exit-when-poll=1")));

        ProcessResult r = Commands.run(Duration.ofSeconds(60), dir, command);

        assertThat(r.exitCode()).as(r.toString()).isZero();
    }
}
