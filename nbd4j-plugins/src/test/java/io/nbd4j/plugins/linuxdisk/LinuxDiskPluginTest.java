package io.nbd4j.plugins.linuxdisk;

import io.nbd4j.plugins.common.DiskImages;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nbd4j.plugins.common.DiskImages.runOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxDiskPluginTest {
    @TempDir
    Path tmp;

    private Path tmpdir() throws Exception {
        return Files.createDirectories(tmp.resolve("tmpdir"));
    }

    private LinuxDiskPlugin configured(String... keyValues) throws Exception {
        return DiskImages.configured(new LinuxDiskPlugin(tmpdir()), keyValues);
    }

    private Path source() throws Exception {
        Path src = tmp.resolve("src/sub");
        if (Files.exists(src)) {
            return src.getParent();
        }
        Files.createDirectories(src);
        Files.writeString(src.resolve("file.txt"), "inside a partition\n");
        Files.createLink(src.resolve("hardlink"), src.resolve("file.txt"));
        Files.createSymbolicLink(src.resolve("symlink"), Path.of("file.txt"));
        return src.getParent();
    }

    private void assertTmpdirEmpty() throws Exception {
        DiskImages.assertEmpty(tmpdir());
    }

    @Test
    void theDiskHasAGptWithOneLinuxPartitionHoldingTheDirectory() throws Exception {
        LinuxDiskPlugin plugin = configured("dir=" + source(), "type=ext4", "label=ROOT");
        plugin.getReady(ThreadModel.PARALLEL);
        assertTmpdirEmpty();
        Path disk = tmp.resolve("disk.img");
        try (Handle h = plugin.open(DiskImages.request())) {
            assertThat(h.canWrite()).isFalse();
            assertThat(h.canMultiConn()).isTrue();
            DiskImages.copy(h, disk);
        }
        plugin.unload();

        assertThat(runOk("sfdisk", "--verify", disk.toString())).contains("No errors detected");
        String table = runOk("sfdisk", "-d", disk.toString());
        assertThat(table).contains("label: gpt").contains("start=        2048")
                .contains("type=0FC63DAF-8483-4772-8E79-3D69D8477DE4").contains("LegacyBIOSBootable");
        long sectors = Long.parseLong(table.replaceAll("(?s).*start=\\s+2048, size=\\s+(\\d+).*", "$1"));
        assertThat(Files.size(disk)).isEqualTo((2048 + sectors + 33) * 512);

        Path fs = tmp.resolve("fs.img");
        runOk("dd", "if=" + disk, "of=" + fs, "bs=512", "skip=2048", "count=" + sectors, "status=none");
        runOk("e2fsck", "-fn", fs.toString());
        assertThat(runOk("dumpe2fs", "-h", fs.toString())).contains("ROOT").contains("has_journal").contains("extent");
        assertThat(runOk("debugfs", "-R", "cat /sub/file.txt", fs.toString())).contains("inside a partition");
        assertThat(runOk("debugfs", "-R", "stat /sub/hardlink", fs.toString())).contains("Links: 2");
        assertThat(runOk("debugfs", "-R", "stat /sub/symlink", fs.toString())).contains("Type: symlink");
    }

    @Test
    void sizeIsExactOrAddedToTheEstimate() throws Exception {
        LinuxDiskPlugin exact = configured("dir=" + source(), "size=20M");
        exact.getReady(ThreadModel.PARALLEL);
        try (Handle h = exact.open(DiskImages.request())) {
            assertThat(h.size()).isEqualTo((20L << 20) + (2048 + 33) * 512);
        }
        exact.unload();
        LinuxDiskPlugin plus = configured("dir=" + source(), "size=+20M");
        plus.getReady(ThreadModel.PARALLEL);
        try (Handle h = plus.open(DiskImages.request())) {
            // The tree is tiny, so the estimate is its floor of 1 MiB.
            assertThat(h.size()).isEqualTo((20L << 20) + (1L << 20) + (2048 + 33) * 512);
        }
        plus.unload();
    }

    @Test
    void aSizeTooSmallFailsWithMke2fsOwnWordsAndLeavesNothing() throws Exception {
        LinuxDiskPlugin plugin = configured("dir=" + source(), "size=4K");
        assertThatThrownBy(() -> plugin.getReady(ThreadModel.PARALLEL)).isInstanceOf(NbdException.class)
                .hasMessageContaining("mke2fs failed with exit status");
        assertTmpdirEmpty();
    }

    @Test
    void badParametersAreRefusedNamingTheAcceptedValues() throws Exception {
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured("dir=" + tmp, "type=xfs")).hasMessageContaining("ext2, ext3, ext4");
        assertThatThrownBy(() -> configured("dir=" + tmp, "label=seventeen-bytes-x")).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> configured("dir=" + tmp.resolve("missing"))).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> configured("dir=" + tmp, "size=+lots")).hasMessageContaining("size");
        assertThat(new LinuxDiskPlugin().parameters()).extracting(p -> p.key()).isEqualTo(List.of("dir", "label", "type", "size"));
    }
}
