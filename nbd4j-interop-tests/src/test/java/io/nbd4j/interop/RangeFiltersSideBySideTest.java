package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filters that reshape an export (offset, truncate, partition, swab, protect, checkwrite, nozero,
 * nocache, noextents, cacheextents, extentlist, exportname), run with the same command line under
 * nbd4j and nbdkit: what libnbd's tools see must be the same. Each comparison also checks a line or two
 * of nbd4j's output, so it cannot pass by both servers being wrong alike.
 */
@EnabledIf("io.nbd4j.interop.Server#bothSelected")
class RangeFiltersSideBySideTest {
    private static final String CAPABILITIES = """
            print('size', h.get_size())
            for c in ['is_read_only', 'can_flush', 'can_fua', 'can_trim', 'can_zero', 'can_fast_zero', 'can_cache', 'can_multi_conn']:
                print(c, getattr(h, c)())
            """;

    @TempDir
    Path dir;

    private static List<String> args(String... words) {
        return List.of(words);
    }

    @Test
    void offsetOverTruncateReadsTheSameBytesAndZeroesPastTheRealEnd() {
        SideBySide.Outputs out = SideBySide.nbdsh(dir,
                args("--filter=offset", "--filter=truncate", "pattern", "size=1000", "offset=100", "range=1500", "truncate=2000"),
                "print(h.get_size(), h.pread(16, 0).hex(), h.pread(16, 892).hex())");
        assertThat(out.nbd4j()).isEqualTo("1500 00000060000000000000006800000000 00000000000003e00000000000000000\n");
        out.assertSame();
    }

    @Test
    void truncateRefusesNonZeroWritesPastTheEndWithTheSameError() {
        SideBySide.Outputs out = SideBySide.nbdsh(dir, args("--filter=truncate", "memory", "1000", "truncate=4096"), """
                try:
                    h.pwrite(b'x' * 10, 2000)
                except nbd.Error as e:
                    print('refused', e.errno)
                h.pwrite(bytes(10), 2000)
                h.pwrite(b'y' * 5 + bytes(5), 995)
                """, "print(h.pread(20, 990))");
        assertThat(out.nbd4j()).startsWith("refused ENOSPC");
        out.assertSame();
    }

    @Test
    void blockStatusIsMovedCutAndRoundedAlike() throws Exception {
        Path extents = Files.writeString(dir.resolve("extents"), "0 64K\n128K 32K hole\n");
        // A byte where the offset filter's range starts: nbdkit's data plugin reports the zero part of a page
        // it was asked about from the middle as zero, ours reports the whole page as data.
        String data = "1 @1024 1 @65536 1 @196608 1";
        for (List<String> command : List.of(
                args("--filter=truncate", "data", data, "size=256K", "truncate=384K"),
                args("--filter=offset", "data", data, "size=256K", "offset=1K", "range=200K"),
                args("--filter=swab", "data", data, "size=256K", "swab-bits=64"),
                args("--filter=noextents", "data", data, "size=256K"),
                args("--filter=cacheextents", "data", data, "size=256K"),
                args("-r", "--filter=extentlist", "data", data, "size=256K", "extentlist=" + extents))) {
            SideBySide.nbdinfo(dir, command, "--map").assertSame();
        }
    }

    @Test
    void nozeroAndNocacheModesAdvertiseTheSame() {
        List<List<String>> modes = List.of(
                args("--filter=nozero", "memory", "1M"),
                args("--filter=nozero", "memory", "1M", "zeromode=emulate"),
                args("--filter=nozero", "memory", "1M", "zeromode=emulate", "fastzeromode=none"),
                args("--filter=nozero", "memory", "1M", "zeromode=notrim", "fastzeromode=slow"),
                args("--filter=nozero", "memory", "1M", "zeromode=plugin", "fastzeromode=ignore"),
                args("--filter=nocache", "memory", "1M"),
                args("--filter=nocache", "memory", "1M", "cachemode=emulate"),
                args("--filter=nocache", "memory", "1M", "cachemode=nop"),
                args("--filter=checkwrite", "memory", "1M"));
        List<String> ours = new ArrayList<>();
        for (List<String> m : modes) {
            SideBySide.Outputs out = SideBySide.nbdsh(dir, m, CAPABILITIES);
            out.assertSame();
            ours.add(out.nbd4j());
        }
        assertThat(ours.getFirst()).contains("can_zero False", "can_fast_zero False");
        assertThat(ours.get(5)).contains("can_cache False");
    }

    @Test
    void swabReversesWordsAlike() {
        for (String bits : List.of("16", "32", "64")) {
            SideBySide.Outputs out = SideBySide.nbdsh(dir, args("--filter=swab", "pattern", "1M", "swab-bits=" + bits),
                    "print(h.pread(16, 8).hex())",
                    "try:\n    h.pread(3, 1)\nexcept nbd.Error as e:\n    print('refused', e.errno)");
            assertThat(out.nbd4j()).contains("refused EINVAL");
            out.assertSame();
        }
    }

    @Test
    void protectRefusesChangesToProtectedBytesAlike() {
        SideBySide.Outputs out = SideBySide.nbdsh(dir, args("--filter=protect", "memory", "1M", "protect=0-511", "protect=~0-65535"), """
                for off, data in [(0, b'a'), (512, b'b'), (65536, b'c'), (100, bytes(1000))]:
                    try:
                        h.pwrite(data, off)
                        print(off, 'written')
                    except nbd.Error as e:
                        print(off, 'refused', e.errno)
                """);
        assertThat(out.nbd4j()).contains("0 refused EPERM", "512 written", "100 written");
        out.assertSame();
    }

    @Test
    void exportnameListsAndDescribesAlike() {
        // nbd4j always sends block sizes and nbdkit 1.32 only when a layer sets them: not this filter's business.
        SideBySide.Outputs out = SideBySide.run(dir, args("--filter=exportname", "memory", "1M",
                "exportname-list=explicit", "exportname=b", "exportname=a", "exportdesc=fixed:hello"),
                uri -> Clients.nbdinfo("--list", uri).lines().filter(l -> !l.contains("block_size")).collect(Collectors.joining("\n")));
        assertThat(out.nbd4j()).contains("export=\"a\"", "description: hello");
        out.assertSame();
    }

    @Test
    void partitionServesPartitionsOfADiskMadeBySfdiskAlike() throws Exception {
        Path mbr = disk("dos", "2048 1023 L -\n4096 4095 E -\n5000 500 L -\n6000 999 L -\n");
        Path gpt = disk("gpt", "2048 1023 L -\n4096 2048 L -\n");
        String read = "print(h.get_size(), h.pread(8, 0).hex(), h.pread(8, h.get_size() - 8).hex())";
        for (String[] choice : new String[][] {{mbr.toString(), "1"}, {mbr.toString(), "6"}, {gpt.toString(), "2"}}) {
            SideBySide.nbdsh(dir, args("-r", "--filter=partition", "file", choice[0], "partition=" + choice[1]), read).assertSame();
        }
        SideBySide.Outputs missing = SideBySide.run(dir, args("-r", "--filter=partition", "file", mbr.toString(), "partition=2"),
                uri -> Integer.toString(Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", uri)).exitCode()));
        assertThat(missing.nbd4j()).isNotEqualTo("0");
        missing.assertSame();
    }

    @Test
    void checkwriteAcceptsACopyOfADiskOntoItself() {
        SideBySide.Outputs out = SideBySide.run(dir, args("--filter=checkwrite", "data", "1 @65536 1 @1048576 2", "size=2M"),
                uri -> Integer.toString(Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdcopy", uri, uri)).exitCode()));
        assertThat(out.nbd4j()).isEqualTo("0");
        out.assertSame();
    }

    /** A 4 MiB image partitioned by sfdisk from {@code script}, each partition's first and last 8 bytes marked. */
    private Path disk(String label, String script) throws Exception {
        Path image = Files.createTempFile(dir, label, ".img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(4 << 20);
        }
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("/usr/sbin/sfdisk", "-q", "-X", label, image.toString()),
                Files.writeString(dir.resolve(label + ".sfdisk"), script));
        assertThat(r.exitCode()).as("%s", r).isZero();
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            for (long sector : new long[] {2048, 4096, 5001, 6001}) {
                f.seek(sector * 512);
                f.write(("start" + sector).getBytes());
            }
        }
        return image;
    }
}
