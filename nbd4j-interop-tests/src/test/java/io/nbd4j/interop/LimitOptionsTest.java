package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The limit options of ./nbd4j: parsed with messages naming the option, and enforced by the running server. */
class LimitOptionsTest {
    @TempDir
    Path dir;

    @Test
    void silentClientIsClosedWhileANegotiatedOneIsStillServed() throws IOException {
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--max-connections=3", "--handshake-timeout=500ms",
                "memory", "1M")) {
            // ServerProcess's readiness probe may still hold a slot briefly and the negotiated client holds one: the silent client always gets the third
            try (RawNbdConnection held = RawNbdConnection.negotiate(s.socket())) {
                try (RawNbdConnection silent = RawNbdConnection.connect(s.socket())) {
                    assertThat(silent.awaitClosedByServer(Duration.ofSeconds(20))).as("closed: handshake timeout or no slot").isTrue();
                }
                assertThat(held.flush().error()).as("the negotiated client is still served").isZero();
            }
            assertThat(s.stderr()).contains("(handshake timeout)");
            s.assertAlive();
            assertThat(Clients.nbdinfo("--size", s.uri()).strip()).isEqualTo("1048576");
        }
    }

    @Test
    void badLimitValuesAreRefusedNamingTheOption() {
        List<List<String>> cases = List.of(
                List.of("--max-connections=0", "memory", "1M"),
                List.of("--idle-timeout=soon", "memory", "1M"),
                List.of("--max-payload=100", "memory", "1M"),
                List.of("--handshake-timeout=-3", "memory", "1M"));
        List<String> expected = List.of("--max-connections: must be at least 1", "--idle-timeout: cannot parse time 'soon'",
                "--max-payload: must be from 512 bytes", "--handshake-timeout: cannot parse time '-3'");
        for (int i = 0; i < cases.size(); i++) {
            ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, Server.NBD4J.command(cases.get(i)));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stderr()).contains(expected.get(i));
        }
    }
}
