package io.nbd4j.plugins.file;

import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.nbd4j.plugins.file.FilePluginTest.configured;
import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static org.assertj.core.api.Assertions.assertThat;

/** The block-device paths, on a loop device; skipped where loop devices cannot be attached (not root, no loop module). */
class BlockDeviceTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private String device;

    @BeforeEach
    void attachLoopDevice() throws Exception {
        Path backing = tmp.resolve("backing.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(8 * MIB);
        }
        Process p = new ProcessBuilder("losetup", "-f", "--show", backing.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(p.waitFor() == 0 && out.startsWith("/dev/loop"), "cannot attach a loop device: " + out);
        device = out;
    }

    @AfterEach
    void detachLoopDevice() throws Exception {
        if (device != null) {
            new ProcessBuilder("losetup", "-d", device).inheritIO().start().waitFor();
        }
    }

    private static byte[] read(Handle h, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void blockDeviceIsSizedByIoctlAndZeroesAndTrimsThroughTheDevice() throws Exception {
        FilePlugin plugin = configured("file=" + device);
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(8 * MIB);
            assertThat(h.canExtents()).isFalse();
            assertThat(h.canFastZero()).isTrue();
            h.pwrite(ByteBuffer.wrap(filled(4 * MIB, 0x33)), 0, Flags.FUA);
            assertThat(read(h, 0, MIB)).isEqualTo(filled(MIB, 0x33));

            h.zero(MIB, 0, 0);
            assertThat(read(h, 0, MIB)).isEqualTo(new byte[MIB]);
            h.zero(MIB, MIB, Flags.MAY_TRIM);
            assertThat(read(h, MIB, MIB)).isEqualTo(new byte[MIB]);
            try {
                h.zero(MIB, 2 * MIB, Flags.FAST_ZERO);
                assertThat(read(h, 2 * MIB, MIB)).isEqualTo(new byte[MIB]);
            } catch (NbdException e) {
                assertThat(e.error()).isEqualTo(NbdError.ENOTSUP);
                assertThat(read(h, 2 * MIB, MIB)).isEqualTo(filled(MIB, 0x33));
            }
            h.trim(MIB, 3 * MIB, 0);
            h.flush(0);
        }
    }

    @Test
    void blockDeviceNodeInTheDirectoryIsListedAndServed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectory(tmp.resolve("exports"));
        long rdev = (Long) java.nio.file.Files.getAttribute(Path.of(device), "unix:rdev");
        long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
        Process mknod = new ProcessBuilder("mknod", dir.resolve("disk0").toString(), "b",
                Long.toString(major), Long.toString(minor)).inheritIO().start();
        Assumptions.assumeTrue(mknod.waitFor() == 0, "cannot create a device node here");
        java.nio.file.Files.writeString(dir.resolve("plain.img"), "plain");
        FilePlugin plugin = configured("dir=" + dir);
        assertThat(plugin.listExports(false, false)).extracting(io.nbd4j.spi.Export::name).containsExactlyInAnyOrder("disk0", "plain.img");
        try (Handle h = plugin.open(open("disk0"))) {
            assertThat(h.size()).isEqualTo(8 * MIB);
        }
    }
}
