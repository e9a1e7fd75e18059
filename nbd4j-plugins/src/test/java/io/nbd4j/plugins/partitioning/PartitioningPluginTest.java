package io.nbd4j.plugins.partitioning;

import io.nbd4j.plugins.file.RecordingExtents;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static io.nbd4j.plugins.file.Requests.openReadOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitioningPluginTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    private PartitioningPlugin plugin;

    @AfterEach
    void unload() {
        if (plugin != null) {
            plugin.unload();
        }
    }

    private Path file(String name, int size, int fill) throws IOException {
        return Files.write(tmp.resolve(name), filled(size, fill));
    }

    private Handle served(String... parameters) throws Exception {
        plugin = new PartitioningPlugin();
        for (String p : parameters) {
            int eq = p.indexOf('=');
            plugin.config(p.substring(0, eq), p.substring(eq + 1));
        }
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin.open(open(""));
    }

    private static ByteBuffer read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        h.pread(b, offset, 0);
        return b.clear();
    }

    @Test
    void anMbrDiskPutsEachFileAtItsAlignmentAndPadsItToASector() throws Exception {
        Handle h = served("file=" + file("a", 1, 'a'), "mbr-id=0x82", "alignment=4K", "file=" + file("b", 1000, 'b'));
        ByteBuffer mbr = read(h, 0, 512);
        assertThat(mbr.get(0x1fe) & 0xff).isEqualTo(0x55);
        assertThat(mbr.get(0x1ff) & 0xff).isEqualTo(0xaa);
        assertThat(mbr.get(0x1be) & 0xff).as("the first partition is bootable").isEqualTo(0x80);
        assertThat(mbr.get(0x1be + 4) & 0xff).isEqualTo(0x83);
        assertThat(mbr.getInt(0x1be + 8)).isEqualTo(2048);
        assertThat(mbr.getInt(0x1be + 12)).isEqualTo(1);
        assertThat(mbr.get(0x1ce + 4) & 0xff).isEqualTo(0x82);
        assertThat(mbr.getInt(0x1ce + 8)).as("1 MiB + one sector, rounded up to 4 KiB").isEqualTo(2056);
        assertThat(mbr.getInt(0x1ce + 12)).isEqualTo(2);
        assertThat(h.size()).isEqualTo(2056 * 512 + 1024);
        assertThat(read(h, MIB, 2).array()).containsExactly('a', 0);
        assertThat(read(h, 2056 * 512 + 999, 2).array()).containsExactly('b', 0);
    }

    @Test
    void moreThanFourFilesOnMbrMakeLogicalPartitionsChainedThroughEbrs() throws Exception {
        String[] words = new String[7];
        for (int i = 0; i < 6; i++) {
            words[i] = "file=" + file("p" + i, 512, '0' + i);
        }
        words[6] = "partition-type=mbr";
        Handle h = served(words);
        ByteBuffer mbr = read(h, 0, 512);
        assertThat(mbr.get(0x1ee + 4) & 0xff).as("partition 4 is extended").isEqualTo(0x0f);
        long extended = mbr.getInt(0x1ee + 8) * 512L;
        long ebr = extended;
        for (int logical = 3; logical < 6; logical++) {
            ByteBuffer record = read(h, ebr, 512);
            long partition = ebr + record.getInt(0x1be + 8) * 512L;
            assertThat(read(h, partition, 1).get(0)).isEqualTo((byte) ('0' + logical));
            ebr = extended + Integer.toUnsignedLong(record.getInt(0x1ce + 8)) * 512L;
            if (logical == 5) {
                assertThat(record.getInt(0x1ce + 8)).as("the last EBR links nowhere").isZero();
            }
        }
        assertThat(mbr.getInt(0x1ee + 8) + mbr.getInt(0x1ee + 12)).as("the extended partition runs to the end")
                .isEqualTo((int) (h.size() / 512));
    }

    @Test
    void withoutAPartitionTypeUpToFourFilesMakeAnMbrAndMoreAGpt() throws Exception {
        String[] five = new String[5];
        for (int i = 0; i < 5; i++) {
            five[i] = "file=" + file("f" + i, 512, 'f');
        }
        assertThat(read(served(five[0], five[1], five[2], five[3]), 512, 8).array()).as("no GPT header").containsOnly(0);
        plugin.unload();
        assertThat(new String(read(served(five), 512, 8).array())).isEqualTo("EFI PART");
    }

    @Test
    void aGptDiskHasAProtectiveMbrAndTwoHeadersWhoseChecksumsHold() throws Exception {
        Handle h = served("file=" + file("a", 3000, 'a'), "type-guid=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                "file=" + file("b", 512, 'b'), "partition-type=gpt");
        long sectors = h.size() / 512;
        assertThat(read(h, 0, 512).get(0x1be + 4) & 0xff).isEqualTo(0xee);
        ByteBuffer primary = read(h, 512, 92);
        ByteBuffer backup = read(h, h.size() - 512, 92);
        for (ByteBuffer header : new ByteBuffer[] {primary, backup}) {
            assertThat(new String(header.array(), 0, 8)).isEqualTo("EFI PART");
            long entriesLba = header.getLong(72);
            ByteBuffer entries = read(h, entriesLba * 512, 128 * 128);
            assertThat(Integer.toUnsignedLong(header.getInt(88))).isEqualTo(crc(entries.array()));
            byte[] zeroedCrc = header.array().clone();
            java.util.Arrays.fill(zeroedCrc, 16, 20, (byte) 0);
            assertThat(Integer.toUnsignedLong(header.getInt(16))).isEqualTo(crc(zeroedCrc));
            assertThat(entries.getLong(32)).isEqualTo(2048);
            assertThat(entries.get(128 + 3) & 0xff).as("the second file's type GUID, first group little-endian").isEqualTo(0x06);
        }
        assertThat(primary.getLong(32)).isEqualTo(sectors - 1);
        assertThat(backup.getLong(24)).isEqualTo(sectors - 1);
        assertThat(read(h, 2048L * 512 + 2999, 2).array()).containsExactly('a', 0);
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    @Test
    void writesReachTheFilesButMayNotChangeTablesOrPadding() throws Exception {
        Path a = file("a", 1000, 'a');
        Handle h = served("file=" + a);
        ByteBuffer table = read(h, 0, 512);
        h.pwrite(table, 0, 0);
        h.pwrite(ByteBuffer.wrap(new byte[] {'x'}), MIB + 999, 0);
        h.pwrite(ByteBuffer.allocate(24), MIB + 1000, 0);
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(new byte[] {1}), 0x1be, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO));
        ByteBuffer straddling = ByteBuffer.wrap(filled(2, 'y'));
        assertThatThrownBy(() -> h.pwrite(straddling, MIB + 999, 0)).hasMessageContaining("padding");
        h.flush(0);
        assertThat(Files.readAllBytes(a)[999]).as("nothing of the refused write landed").isEqualTo((byte) 'x');
    }

    @Test
    void blockStatusShowsTablesAsDataPaddingAsHolesAndTheFilesOwnHoles() throws Exception {
        Handle h = served("file=" + file("a", 512, 'a'));
        RecordingExtents extents = new RecordingExtents();
        h.extents(h.size(), 0, 0, extents);
        assertThat(extents.typeAt(0)).isEqualTo(Extents.DATA);
        assertThat(extents.typeAt(4096)).isEqualTo(Extents.HOLE | Extents.ZERO);
        assertThat(extents.typeAt(MIB)).isEqualTo(Extents.DATA);
    }

    @Test
    void aReadOnlyConnectionCannotWrite() throws Exception {
        served("file=" + file("a", 512, 'a'));
        Handle h = plugin.open(openReadOnly(""));
        assertThat(h.canWrite()).isFalse();
        assertThat(h.canMultiConn()).isTrue();
    }

    @Test
    void badParametersAreRefusedNamingWhatIsWrong() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty"));
        assertThatThrownBy(() -> served("file=" + empty)).hasMessageContaining("zero-length");
        assertThatThrownBy(() -> served("file=" + tmp.resolve("none"))).hasMessageContaining("no such file");
        assertThatThrownBy(() -> served("alignment=1000")).hasMessageContaining("multiple of 512");
        assertThatThrownBy(() -> served("type-guid=xyz")).hasMessageContaining("not a GUID");
        assertThatThrownBy(() -> served("mbr-id=256")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> served("partition-type=apm")).hasMessageContaining("mbr, dos, gpt");
        assertThatThrownBy(() -> served()).isInstanceOf(ConfigException.class).hasMessageContaining("at least one file");
    }

    @Test
    void guidsAreStoredMixedEndianAsGptWantsAndRandomOnesAreVersion4() {
        assertThat(Guids.parse("{0FC63DAF-8483-4772-8E79-3D69D8477DE4}")).containsExactly(
                0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4);
        assertThat(Guids.parse("0FC63DAF-8483-4772-8E79-3D69D8477DE4}")).isNull();
        byte[] random = Guids.random();
        assertThat(random[7] & 0xf0).isEqualTo(0x40);
    }
}
