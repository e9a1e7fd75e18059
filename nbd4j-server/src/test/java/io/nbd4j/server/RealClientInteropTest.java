package io.nbd4j.server;

import io.nbd4j.spi.Export;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives an embedded server on a Unix socket with libnbd's nbdsh and nbdinfo. */
class RealClientInteropTest {
    @TempDir
    Path dir;
    RamDisk disk;
    NbdServer server;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        disk = new RamDisk(1 << 20);
        disk.exports = List.of(new Export("", "the default disk"), new Export("second", "another name"));
        socket = dir.resolve("nbd.sock");
        server = ServerFixture.builder(disk).unixSocket(socket).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nbdshReadsWritesFlushesZeroesTrimsAndQueriesBlockStatus() throws Exception {
        String script = String.join("\n",
                "import nbd",
                "assert h.get_size() == 1048576",
                "assert h.can_multi_conn()",
                "assert h.can_flush() and h.can_fua() and h.can_trim() and h.can_zero() and h.can_fast_zero()",
                "assert not h.is_read_only()",
                "h.pwrite(b'x' * 8192, 65536)",
                "assert h.pread(8192, 65536) == b'x' * 8192",
                "assert h.pread(4096, 0) == bytes(4096)",
                "h.pwrite(b'y' * 512, 1024, nbd.CMD_FLAG_FUA)",
                "h.flush()",
                "big = h.pread(262144, 0)",
                "assert big[1024:1536] == b'y' * 512 and big[65536:73728] == b'x' * 8192 and big[0:1024] == bytes(1024)",
                "h.zero(4096, 65536)",
                "assert h.pread(4096, 65536) == bytes(4096)",
                "h.trim(4096, 69632)",
                "assert h.pread(4096, 69632) == bytes(4096)",
                "seen = []",
                "def cb(meta, off, entries, err):",
                "    seen.append((meta, off, list(entries)))",
                "h.block_status(131072, 0, cb)",
                "meta, off, entries = seen[0]",
                "assert meta == 'base:allocation', meta",
                "assert entries == [4096, 0, 126976, 3], entries",
                "seen.clear()",
                "h.block_status(131072, 0, cb, nbd.CMD_FLAG_REQ_ONE)",
                "assert seen[0][2] == [4096, 0], seen",
                "h.shutdown()",
                "print('ok')");
        assertThat(nbdsh("--base-allocation", "-u", uri(), "-c", script)).contains("ok");
    }

    @Test
    void nbdshListsExportsAndProbesInfoInOptionMode() throws Exception {
        String script = String.join("\n",
                "import nbd",
                "h = nbd.NBD()",
                "h.set_opt_mode(True)",
                "h.connect_uri('" + uri() + "')",
                "names = []",
                "h.opt_list(lambda n, d: names.append((n, d)))",
                "assert names == [('', 'the default disk'), ('second', 'another name')], names",
                "h.set_export_name('second')",
                "h.set_full_info(True)",
                "h.opt_info()",
                "assert h.get_size() == 1048576",
                "assert h.get_export_description() == 'a test disk'",
                "h.opt_go()",
                "assert h.pread(16, 0) == bytes(16)",
                "h.shutdown()",
                "print('ok')");
        assertThat(nbdsh("-c", script)).contains("ok");
        assertThat(disk.opens).anyMatch(r -> r.probe() && r.exportName().equals("second"));
        assertThat(disk.opens).anyMatch(r -> !r.probe() && r.exportName().equals("second"));
    }

    @Test
    void nbdinfoDescribesTheExportAsJson() throws Exception {
        String json = run(List.of("nbdinfo", "--json", uri()));
        assertThat(json).contains("\"export-size\": 1048576").contains("\"can_multi_conn\": true")
                .contains("\"base:allocation\"").contains("\"description\": \"a test disk\"");
    }

    @Test
    void nbdcopyRoundTripsAnImageOverSeveralConnections() throws Exception {
        byte[] image = new byte[1 << 20];
        new java.util.Random(42).nextBytes(image);
        java.util.Arrays.fill(image, 4096, 200_000, (byte) 0);
        Path in = Files.write(dir.resolve("in.img"), image);
        Path out = dir.resolve("out.img");
        run(List.of("nbdcopy", "--connections=4", in.toString(), uri()));
        assertThat(disk.data).isEqualTo(image);
        run(List.of("nbdcopy", "--connections=4", uri(), out.toString()));
        assertThat(Files.readAllBytes(out)).isEqualTo(image);
    }

    @Test
    void qemuIoWritesAndReadsBackAPatternAndQemuImgMapsAllocation() throws Exception {
        String io = run(List.of("qemu-io", "-f", "raw", "-c", "write -P 0x55 65536 64k", "-c", "read -P 0x55 65536 64k",
                "-c", "read -P 0 0 64k", uri()));
        assertThat(io).doesNotContain("Pattern verification failed").contains("read 65536/65536 bytes");
        String map = run(List.of("qemu-img", "map", "--output=json", "-f", "raw", uri()));
        assertThat(map).contains("\"start\": 65536, \"length\": 65536").contains("\"data\": true");
    }

    private String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    private String nbdsh(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("nbdsh"));
        command.addAll(List.of(args));
        return run(command);
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/bin:" + System.getenv("PATH"));
        Process p = pb.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit status of %s, output:%n%s", command, text).isZero();
        return text;
    }
}
