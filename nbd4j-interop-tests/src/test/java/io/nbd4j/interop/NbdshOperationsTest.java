package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** libnbd's {@code nbdsh} drives every data command and the option-negotiation phase. */
class NbdshOperationsTest {
    private static final long MIB = 1 << 20;

    /**
     * Python that prints the {@code base:allocation} map of the whole export as {@code OFFSET LENGTH FLAGS}
     * lines, asking again from where the previous answer stopped (a server may answer a prefix only).
     */
    static final String PRINT_ALLOCATION_MAP = """
            size = h.get_size()
            offset = 0
            while offset < size:
                entries = []
                def collect(meta, start, e, err):
                    if meta == "base:allocation":
                        entries.extend(e)
                h.block_status(size - offset, offset, collect)
                for i in range(0, len(entries), 2):
                    length = min(entries[i], size - offset)
                    print(offset, length, entries[i + 1])
                    offset += length
            """;

    @TempDir
    Path dir;

    @ServerTest
    void flushedWriteReadsBack(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            String out = Clients.nbdsh(s.uri(),
                    "h.pwrite(bytes(range(256)) * 16, 65536)",
                    "h.flush()",
                    "print(h.pread(4096, 65536) == bytes(range(256)) * 16)",
                    "print(h.pread(16, 65536 - 8).hex())");

            assertThat(out.lines()).containsExactly("True", "0000000000000000" + "0001020304050607");
        }
    }

    /** 64 MiB is the largest request nbdkit serves by default, and clients such as nbdsh send it whole. */
    @ServerTest
    void readOfSixtyFourMebibytesIsServedInOneRequest(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "null", "128M")) {
            String out = Clients.nbdsh(s.uri(), "print(len(h.pread(64 * 1024 * 1024, 64 * 1024 * 1024)))");

            assertThat(out.strip()).isEqualTo(Long.toString(64 * MIB));
        }
    }

    @ServerTest
    void zeroedRangeReadsAsZeroesAndLeavesItsNeighboursAlone(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            String out = Clients.nbdsh(s.uri(),
                    "h.pwrite(b'\\xab' * 12288, 0)",
                    "h.zero(4096, 4096)",
                    "print(h.pread(12288, 0) == b'\\xab' * 4096 + bytes(4096) + b'\\xab' * 4096)");

            assertThat(out.strip()).isEqualTo("True");
        }
    }

    @ServerTest
    void trimmedRangeBecomesAHoleThatReadsAsZeroes(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "4M")) {
            String map = Clients.nbdsh(List.of("--base-allocation", "-u", s.uri()),
                    "h.pwrite(b'\\x55' * (4 << 20), 0)",
                    "h.trim(1 << 20, 1 << 20)",
                    "assert h.pread(1 << 20, 1 << 20) == bytes(1 << 20)",
                    PRINT_ALLOCATION_MAP);

            assertThat(Extent.parseMerged(map)).containsExactly(
                    new Extent(0, MIB, 0),
                    new Extent(MIB, MIB, Extent.HOLE | Extent.ZERO),
                    new Extent(2 * MIB, 2 * MIB, 0));
        }
    }

    @ServerTest
    void unwrittenMemoryIsReportedAsAHole(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "4M")) {
            String map = Clients.nbdsh(List.of("--base-allocation", "-u", s.uri()), PRINT_ALLOCATION_MAP);

            assertThat(Extent.parseMerged(map)).containsExactly(new Extent(0, 4 * MIB, Extent.HOLE | Extent.ZERO));
        }
    }

    @ServerTest
    void optionModeListsTheDefaultExportAndReportsItsSizeBeforeGo(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            String out = Clients.nbdsh(List.of("--opt-mode", "-u", s.uri()),
                    "names = []",
                    "h.opt_list(lambda name, description: names.append(name))",
                    "print('listed', names)",
                    "h.set_export_name('')",
                    "h.opt_info()",
                    "print('info', h.get_size(), h.can_flush())",
                    "h.opt_go()",
                    "print('go', h.get_size(), h.pread(2, 0).hex())");

            assertThat(out.lines()).containsExactly("listed ['']", "info 1048576 True", "go 1048576 0000");
        }
    }

    @ServerTest
    void memoryPluginAdvertisesMultiConnAndWritability(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            String out = Clients.nbdsh(s.uri(), "print(h.can_multi_conn(), h.is_read_only())");

            assertThat(out.strip()).isEqualTo("True False");
        }
    }

    @ServerTest
    void readOnlyServerAdvertisesItAndAnswersAWriteWithEperm(Server server) {
        try (ServerProcess s = ServerProcess.start(server, dir, "-r", "memory", "1M")) {
            String out = Clients.nbdsh(s.uri(),
                    "import errno",
                    "print('read-only', h.is_read_only())",
                    // Without this libnbd refuses the write itself; we want the server's answer.
                    "h.set_strict_mode(0)",
                    """
                    try:
                        h.pwrite(b'x' * 512, 0)
                        print('write accepted')
                    except nbd.Error as e:
                        print('write refused', e.errnum == errno.EPERM)
                    """,
                    "print('still usable', h.pread(4, 0).hex())");

            assertThat(out.lines()).containsExactly(
                    "read-only True", "write refused True", "still usable 00000000");
        }
    }
}
