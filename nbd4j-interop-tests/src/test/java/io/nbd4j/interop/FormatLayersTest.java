package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compressed and archived images (gzip, xz, tar filters), the test plugins (info, random,
 * sparse-random) and the memory plugin's allocators, driven by real clients and made by the real
 * tools (gzip, xz, tar), each compared with nbdkit on the same command line.
 */
class FormatLayersTest {
    private static final String DIGEST_SCRIPT =
            "import hashlib; print(h.get_size(), h.is_read_only(), hashlib.sha256(h.pread(h.get_size(), 0)).hexdigest())";

    @TempDir
    Path dir;

    /** A 3 MiB image: random data with a run of zeroes in the middle. */
    private Path image() throws Exception {
        byte[] b = new byte[3 << 20];
        new Random(42).nextBytes(b);
        java.util.Arrays.fill(b, 1 << 20, 2 << 20, (byte) 0);
        Path image = dir.resolve("disk.img");
        Files.write(image, b);
        return image;
    }

    private static String expectedDigestLine(Path image) throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        return bytes.length + " True " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + "\n";
    }

    private void run(String... command) {
        Commands.runOk(Duration.ofSeconds(60), dir, List.of(command));
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#bothSelected")
    void gzipXzAndTarServeTheImageTheToolsPackedAsNbdkitDoes() throws Exception {
        Path image = image();
        String expected = expectedDigestLine(image);
        run("gzip", "-k", "disk.img");
        run("xz", "-k", "-1", "--block-size=256KiB", "disk.img");
        run("tar", "cf", "disk.tar", "disk.img");
        run("gzip", "-k", "disk.tar");

        SideBySide.Outputs gzip = SideBySide.nbdsh(dir, List.of("file", dir.resolve("disk.img.gz").toString(), "--filter=gzip"), DIGEST_SCRIPT);
        assertThat(gzip.nbd4j()).isEqualTo(expected);
        gzip.assertSame();
        SideBySide.Outputs xz = SideBySide.nbdsh(dir, List.of("file", dir.resolve("disk.img.xz").toString(), "--filter=xz"), DIGEST_SCRIPT);
        assertThat(xz.nbd4j()).isEqualTo(expected);
        xz.assertSame();
        SideBySide.Outputs tar = SideBySide.nbdsh(dir, List.of("-r", "file", dir.resolve("disk.tar").toString(),
                "--filter=tar", "tar-entry=disk.img"), DIGEST_SCRIPT);
        assertThat(tar.nbd4j()).isEqualTo(expected);
        tar.assertSame();
        SideBySide.Outputs tarGz = SideBySide.nbdsh(dir, List.of("file", dir.resolve("disk.tar.gz").toString(),
                "--filter=tar", "tar-entry=disk.img", "--filter=gzip"), DIGEST_SCRIPT);
        assertThat(tarGz.nbd4j()).isEqualTo(expected);
        tarGz.assertSame();
    }

    @Test
    void theZeroesOfAGzipImageAreHolesForCopyingTools() throws Exception {
        image();
        run("gzip", "-k", "disk.img");
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "file", dir.resolve("disk.img.gz").toString(), "--filter=gzip")) {
            assertThat(Clients.nbdinfo("--map", s.uri()).lines().map(String::strip).map(l -> l.replaceAll("\\s+", " ")))
                    .containsExactly("0 1048576 0 data", "1048576 1048576 3 hole,zero", "2097152 1048576 0 data");
        }
    }

    @Test
    void writesIntoATarEntryLandInsideTheArchive() throws Exception {
        image();
        run("tar", "cf", "disk.tar", "disk.img");
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "file", dir.resolve("disk.tar").toString(),
                "--filter=tar", "tar-entry=disk.img")) {
            Clients.nbdsh(s.uri(), "h.pwrite(b'hello tar', 4096)", "h.flush()");
        }
        run("tar", "xf", "disk.tar", "-C", Files.createDirectory(dir.resolve("out")).toString());
        byte[] extracted = Files.readAllBytes(dir.resolve("out/disk.img"));
        assertThat(new String(extracted, 4096, 9)).isEqualTo("hello tar");
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#bothSelected")
    void infoShowsTheExportNameAndAddressAsNbdkitDoes() {
        SideBySide.nbdsh(dir, List.of("info"), "print(h.get_size(), h.can_multi_conn(), h.is_read_only())").assertSame();
        SideBySide.Outputs address = SideBySide.nbdsh(dir, List.of("info", "mode=address"), "print(h.pread(h.get_size(), 0))");
        assertThat(address.nbd4j()).isEqualTo("bytearray(b'unix')\n");
        address.assertSame();
        SideBySide.nbdsh(dir, List.of("info", "mode=uptime"), "print(h.get_size(), h.can_multi_conn())").assertSame();
    }

    @Test
    void randomAndSparseRandomDisksCopyOntoThemselves() {
        for (List<String> disk : List.of(List.of("random", "8M"), List.of("sparse-random", "1G", "runlength=1M", "percent=5"))) {
            try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, disk.toArray(String[]::new))) {
                Clients.nbdcopy(Duration.ofSeconds(120), s.uri(), s.uri());
            }
        }
    }

    @Test
    @EnabledIf("io.nbd4j.interop.Server#bothSelected")
    void mallocAllocatorBehavesAsNbdkitsIncludingMlock() {
        String script = "h.pwrite(b'1' * 512, 0); h.pwrite(b'2' * 4096, 8 * 1024 * 1024 + 1); "
                + "print(h.pread(512, 0) == b'1' * 512, h.pread(4096, 8 * 1024 * 1024 + 1) == b'2' * 4096, h.pread(8, 4096))";
        SideBySide.Outputs malloc = SideBySide.nbdsh(dir, List.of("memory", "16M", "allocator=malloc"), script);
        assertThat(malloc.nbd4j()).startsWith("True True");
        malloc.assertSame();
        SideBySide.nbdsh(dir, List.of("memory", "16K", "allocator=malloc,mlock=true"), "print(h.get_size(), h.pread(4, 0))").assertSame();
    }
}
