package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** libnbd's {@code nbdinfo}: export listing, the allocation map, and the JSON description scripts parse. */
class NbdinfoTest {
    private static final long MIB = 1 << 20;
    private static final Pattern JSON_MAP_ENTRY = Pattern.compile(
            "\\{\\s*\"offset\":\\s*(\\d+),\\s*\"length\":\\s*(\\d+),\\s*\"type\":\\s*(\\d+)");

    @TempDir
    Path dir;

    @ServerTest
    void listShowsTheDefaultExportWithItsSize(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "4M")) {
            String out = Clients.nbdinfo("--list", s.uri());

            assertThat(out).contains("export=\"\":").contains("export-size: 4194304");
        }
    }

    @ServerTest
    void mapShowsWrittenDataBetweenHoles(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "4M")) {
            Clients.nbdsh(s.uri(), "h.pwrite(b'a' * (1 << 20), 1 << 20)");

            List<Extent> expected = List.of(
                    new Extent(0, MIB, Extent.HOLE | Extent.ZERO),
                    new Extent(MIB, MIB, 0),
                    new Extent(2 * MIB, 2 * MIB, Extent.HOLE | Extent.ZERO));
            assertThat(Extent.parseMerged(Clients.nbdinfo("--map", s.uri()))).isEqualTo(expected);
            assertThat(parseJsonMap(Clients.nbdinfo("--map", "--json", s.uri()))).isEqualTo(expected);
        }
    }

    @ServerTest
    void jsonDescribesSizeAndCapabilitiesOfAWritableMemoryDisk(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "4M")) {
            String json = Clients.nbdinfo("--json", s.uri());

            assertThat(json).contains("\"protocol\": \"newstyle-fixed\"", "\"export-name\": \"\"",
                    "\"export-size\": 4194304", "\"is_read_only\": false", "\"can_flush\": true",
                    "\"can_trim\": true", "\"can_zero\": true", "\"can_multi_conn\": true",
                    "\"base:allocation\"");
        }
    }

    @ServerTest
    void jsonReportsReadOnlyForAReadOnlyServer(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "--readonly", "memory", "4M")) {
            String json = Clients.nbdinfo("--json", s.uri());

            assertThat(json).contains("\"is_read_only\": true", "\"export-size\": 4194304");
        }
    }

    private static List<Extent> parseJsonMap(String json) {
        Matcher m = JSON_MAP_ENTRY.matcher(json);
        StringBuilder lines = new StringBuilder();
        while (m.find()) {
            lines.append(m.group(1)).append(' ').append(m.group(2)).append(' ').append(m.group(3)).append('\n');
        }
        return Extent.parseMerged(lines.toString());
    }
}
