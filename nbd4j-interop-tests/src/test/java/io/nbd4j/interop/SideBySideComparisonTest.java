package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same nbdsh scripts against both servers: what a client can observe of the memory and pattern plugins
 * must print identically. Each server is also checked against the expected text, so the comparison cannot
 * pass by both being wrong the same way.
 */
class SideBySideComparisonTest {
    private static final int PATTERN_SIZE = 1 << 20;
    /** Aligned, unaligned, straddling a 4 KiB boundary, and the last bytes of the export. */
    private static final List<long[]> PATTERN_READS = List.of(
            new long[] {0, 16}, new long[] {8, 8}, new long[] {4093, 11}, new long[] {12345, 20},
            new long[] {PATTERN_SIZE - 16, 16});

    private static final String MEMORY_SCRIPT = """
            print('size', h.get_size())
            print('can_flush', h.can_flush())
            print('can_trim', h.can_trim())
            print('can_zero', h.can_zero())
            print('can_multi_conn', h.can_multi_conn())
            print('is_read_only', h.is_read_only())
            """;

    private static final String PATTERN_SCRIPT = PATTERN_READS.stream()
            .map(r -> "print(" + r[0] + ", h.pread(" + r[1] + ", " + r[0] + ").hex())")
            .collect(Collectors.joining("\n"));

    @TempDir
    Path dir;

    @ServerTest
    void memoryPluginShowsItsSizeAndCapabilities(Server server) {
        assertThat(memoryOutput(server).lines()).containsExactly(
                "size 1048576", "can_flush True", "can_trim True", "can_zero True", "can_multi_conn True",
                "is_read_only False");
    }

    @ServerTest
    void patternPluginReadsBackEachOffsetAsABigEndianNumber(Server server) {
        List<String> expected = PATTERN_READS.stream()
                .map(r -> r[0] + " " + HexFormat.of().formatHex(pattern(r[0], (int) r[1])))
                .toList();

        assertThat(patternOutput(server).lines()).containsExactlyElementsOf(expected);
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#bothSelected")
    void sameScriptsPrintTheSameOnNbd4jAndNbdkit() {
        SideBySide.nbdsh(dir, List.of("memory", "1M"), MEMORY_SCRIPT).assertSame();
        SideBySide.nbdsh(dir, List.of("pattern", Integer.toString(PATTERN_SIZE)), PATTERN_SCRIPT).assertSame();
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#bothSelected")
    void nbdinfoDescribesTheSameExportOnBoth() {
        SideBySide.Outputs outputs = SideBySide.nbdinfo(dir, List.of("pattern", "1M"), "--size");

        assertThat(outputs.nbd4j()).isEqualTo("1048576\n");
        outputs.assertSame();
    }

    private String memoryOutput(Server server) {
        try (ServerProcess s = ServerProcess.start(server, freshDir(server), "memory", "1M")) {
            return Clients.nbdsh(s.uri(), MEMORY_SCRIPT);
        }
    }

    private String patternOutput(Server server) {
        try (ServerProcess s = ServerProcess.start(server, freshDir(server), "pattern", Integer.toString(PATTERN_SIZE))) {
            return Clients.nbdsh(s.uri(), PATTERN_SCRIPT);
        }
    }

    /** One directory per server start, so no socket or log of one run is mistaken for another's. */
    private Path freshDir(Server server) {
        try {
            return Files.createTempDirectory(dir, server.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pattern plugin's content: every 8-byte aligned offset holds its own value, big-endian. */
    private static byte[] pattern(long offset, int length) {
        long first = offset & ~7L;
        ByteBuffer words = ByteBuffer.allocate((int) (offset - first) + length + 8);
        for (long o = first; words.remaining() >= 8; o += 8) {
            words.putLong(o);
        }
        byte[] out = new byte[length];
        words.get((int) (offset - first), out);
        return out;
    }
}
