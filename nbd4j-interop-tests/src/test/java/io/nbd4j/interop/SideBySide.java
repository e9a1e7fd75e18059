package io.nbd4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Same as nbdkit" in one line: starts one command line under {@code ./nbd4j} and then under
 * {@code nbdkit} (each in a fresh directory, on a Unix socket), runs the same client against each, and
 * compares what the client printed.
 *
 * <pre>{@code
 * SideBySide.nbdsh(dir, List.of("--filter=offset", "memory", "1M", "offset=4096"), "print(h.get_size())").assertSame();
 * SideBySide.nbdinfo(dir, List.of("pattern", "1M"), "--map").assertSame();
 * }</pre>
 *
 * <p>The socket's path, the only thing that differs between the runs by construction, is replaced by
 * {@code $SOCKET} in both outputs. A comparison needs both servers: with {@code -Dinterop.servers}
 * naming only one, the test is skipped (an assumption), which is the point of choosing one.
 * Stateless; each call runs one server at a time.
 */
final class SideBySide {
    private SideBySide() {}

    /** What the client printed against each server. */
    record Outputs(String nbd4j, String nbdkit) {
        /** Fails the test, showing both, unless the outputs are equal. */
        void assertSame() {
            assertThat(nbd4j).as("output against nbd4j (expected: the same as against nbdkit)").isEqualTo(nbdkit);
        }
    }

    /** Runs {@code client} (given the server's URI, returning what it printed) against each server. */
    static Outputs run(Path dir, List<String> serverArgs, Function<String, String> client) {
        assumeTrue(Server.bothSelected(), "a side-by-side comparison needs both servers in " + Server.SELECTION_PROPERTY);
        return new Outputs(runOne(Server.NBD4J, dir, serverArgs, client), runOne(Server.NBDKIT, dir, serverArgs, client));
    }

    /** {@code nbdsh -u URI -c STATEMENT ...} against each server; the handle is {@code h}. */
    static Outputs nbdsh(Path dir, List<String> serverArgs, String... statements) {
        return run(dir, serverArgs, uri -> Clients.nbdsh(uri, statements));
    }

    /** {@code nbdinfo ARGS... URI} against each server. */
    static Outputs nbdinfo(Path dir, List<String> serverArgs, String... nbdinfoArgs) {
        return run(dir, serverArgs, uri -> {
            List<String> args = new ArrayList<>(List.of(nbdinfoArgs));
            args.add(uri);
            return Clients.nbdinfo(args.toArray(String[]::new));
        });
    }

    private static String runOne(Server server, Path dir, List<String> serverArgs, Function<String, String> client) {
        Path runDir;
        try {
            runDir = Files.createTempDirectory(dir, server.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ServerProcess s = ServerProcess.start(server, runDir, serverArgs.toArray(String[]::new))) {
            return client.apply(s.uri()).replace(s.socket().toString(), "$SOCKET");
        }
    }
}
