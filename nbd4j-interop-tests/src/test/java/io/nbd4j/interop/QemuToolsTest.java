package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** qemu's block layer as a client: {@code qemu-img convert/map} and {@code qemu-io} with pattern checks. */
class QemuToolsTest {
    private static final Pattern JSON_MAP_ENTRY = Pattern.compile(
            "\\{\\s*\"start\":\\s*(\\d+),\\s*\"length\":\\s*(\\d+),[^}]*\"zero\":\\s*(true|false),\\s*\"data\":\\s*(true|false)");
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @ServerTest
    void convertIntoTheExportAndBackOutGivesTheSameImage(Server server) throws IOException {
        Path original = dir.resolve("in.img");
        Path copy = dir.resolve("out.img");
        // 4 MiB into an 8 MiB export: the copy back out must carry the unwritten half as zeroes.
        NbdcopyRoundTripTest.writeRandomFile(original, 4);

        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "8M")) {
            Clients.qemuImg(dir, "convert", "-n", "-f", "raw", "-O", "raw", original.toString(), s.uri());
            Clients.qemuImg(dir, "convert", "-f", "raw", "-O", "raw", s.uri(), copy.toString());
        }

        assertThat(Files.size(copy)).isEqualTo(8 * MIB);
        byte[] expected = new byte[(int) (8 * MIB)];
        byte[] written = Files.readAllBytes(original);
        System.arraycopy(written, 0, expected, 0, written.length);
        assertThat(Files.readAllBytes(copy)).isEqualTo(expected);
    }

    @ServerTest
    void mapShowsDataWhereWrittenAndZeroHolesElsewhere(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "8M")) {
            Clients.qemuIo("-f", "raw", "-c", "write -P 0x11 2M 2M", s.uri());

            String json = Clients.qemuImg(dir, "map", "-f", "raw", "--output=json", s.uri());

            StringBuilder extents = new StringBuilder();
            Matcher m = JSON_MAP_ENTRY.matcher(json);
            while (m.find()) {
                int flags = m.group(4).equals("true") ? 0 : Extent.HOLE;
                flags |= m.group(3).equals("true") ? Extent.ZERO : 0;
                extents.append(m.group(1)).append(' ').append(m.group(2)).append(' ').append(flags).append('\n');
            }
            assertThat(Extent.parseMerged(extents.toString())).as(json).containsExactly(
                    new Extent(0, 2 * MIB, Extent.HOLE | Extent.ZERO),
                    new Extent(2 * MIB, 2 * MIB, 0),
                    new Extent(4 * MIB, 4 * MIB, Extent.HOLE | Extent.ZERO));
        }
    }

    @ServerTest
    void qemuIoReadsBackThePatternItWrote(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            String out = Clients.qemuIo("-f", "raw",
                    "-c", "write -P 0xab 0 64k",
                    "-c", "read -P 0xab 0 64k",
                    "-c", "read -P 0x00 64k 64k",
                    s.uri());

            // Besides the exit status, the report proves each command ran in full.
            assertThat(out).contains("wrote 65536/65536 bytes at offset 0")
                    .contains("read 65536/65536 bytes at offset 0")
                    .contains("read 65536/65536 bytes at offset 65536")
                    .doesNotContain("Pattern verification failed");
        }
    }
}
