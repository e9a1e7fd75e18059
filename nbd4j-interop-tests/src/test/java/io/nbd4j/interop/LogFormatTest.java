package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The log filter's file reads line for line as nbdkit's, timestamps aside, for the same command line
 * and the same clients: every kind of call, flags, a failed call (the error filter below the log),
 * an export listing and an {@code NBD_OPT_INFO} probe, and block status with its extent list. nbdkit
 * forks for {@code --run} and logs {@code Fork}, which nbd4j does not (see the README).
 */
class LogFormatTest {
    @TempDir
    Path dir;

    static final String CLIENTS = """
            nbdsh -u "$uri" -c '
            h.pwrite(b"x" * 512, 0, nbd.CMD_FLAG_FUA)
            h.pread(512, 0)
            h.flush()
            h.zero(4096, 0)
            h.zero(4096, 8192, nbd.CMD_FLAG_NO_HOLE)
            h.trim(4096, 4096)
            h.cache(4096, 0)
            open("%s", "w").close()
            try:
                h.pread(512, 0)
            except nbd.Error:
                pass
            '
            nbdinfo --list "$uri" >/dev/null
            nbdinfo --map "$uri" >/dev/null
            """;

    private List<String> logOf(Server server) throws Exception {
        Path log = dir.resolve(server + ".log");
        Path trigger = dir.resolve(server + ".trigger");
        ProcessResult r = ServerProcess.captive(server, List.of("--filter=log", "--filter=error", "data", "@32768 1", "size=64K",
                        "logfile=" + log, "error-pread-rate=1", "error-pread-file=" + trigger),
                CLIENTS.formatted(trigger));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Files.readAllLines(log).stream()
                .map(line -> line.replaceFirst("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ", ""))
                .filter(line -> !line.equals("Fork"))
                .collect(Collectors.toList());
    }

    @Test
    void theLogIsNbdkitsLineForLine() throws Exception {
        assumeTrue(Server.bothSelected(), "a comparison needs both servers");
        List<String> ours = logOf(Server.NBD4J);

        assertThat(ours).contains("connection=1 ...Read id=8 return=-1 error=EIO",
                "connection=3 ...Extents id=1 extents=(0x0 0x8000 \"hole,zero\" 0x8000 0x8000 \"\") return=0");
        List<String> theirs = logOf(Server.NBDKIT);
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
        assertThat(byConnection(ours)).isEqualTo(byConnection(theirs));
    }

    /**
     * Each connection's lines in their order, and the lines of no connection (start, preconnect, export
     * listing) in theirs. Lines of different connections have no order between them: when one client
     * leaves and the next arrives, whether the server logs the first one's Disconnect or the second
     * one's Preconnect first depends on how soon each process gets there.
     */
    private static Map<String, List<String>> byConnection(List<String> lines) {
        return lines.stream().collect(Collectors.groupingBy(
                line -> line.startsWith("connection=") ? line.substring(0, line.indexOf(' ')) : "none",
                TreeMap::new, Collectors.toList()));
    }
}
