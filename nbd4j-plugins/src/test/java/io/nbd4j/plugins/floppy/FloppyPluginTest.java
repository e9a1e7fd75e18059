package io.nbd4j.plugins.floppy;

import io.nbd4j.plugins.common.DiskImages;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.nbd4j.plugins.common.DiskImages.runOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FloppyPluginTest {
    @TempDir
    Path tmp;

    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("hello.txt"), "hello, world\n");
        Files.writeString(src.resolve("A Long File Name with spaces.text"), "long\n");
        Files.createFile(src.resolve("empty"));
        Path sub = Files.createDirectories(src.resolve("sub/deeper"));
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        Files.write(src.resolve("sub/random.bin"), random);
        for (int i = 0; i < 40; i++) {
            Files.writeString(sub.resolve("many-files-with-long-names-" + i + ".txt"), "file " + i + "\n");
        }
        return src;
    }

    private static FloppyPlugin configured(String... keyValues) throws ConfigException {
        FloppyPlugin plugin = DiskImages.configured(new FloppyPlugin(), keyValues);
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    /** The disk copied to a file, and its partition (from 1 MiB) as a file of its own. */
    private Path[] image(FloppyPlugin plugin) throws Exception {
        Path disk;
        try (Handle h = plugin.open(DiskImages.request())) {
            assertThat(h.canWrite()).isFalse();
            assertThat(h.canMultiConn()).isTrue();
            disk = DiskImages.copy(h, tmp.resolve("floppy.img"));
        }
        Path partition = tmp.resolve("partition.img");
        runOk("dd", "if=" + disk, "of=" + partition, "bs=1M", "skip=1", "status=none");
        return new Path[] {disk, partition};
    }

    @Test
    void theFileSystemPassesFsckAndMtoolsReadsBackEveryFileAndName() throws Exception {
        Path src = source();
        Path[] img = image(configured("dir=" + src));

        String fsck = runOk("fsck.fat", "-n", "-v", img[1].toString());
        assertThat(fsck).contains("32 bit entries").doesNotContain("Leaving filesystem unchanged");
        assertThat(runOk("sfdisk", "-d", img[0].toString())).contains("start=        2048").contains("type=c");

        Path out = Files.createDirectories(tmp.resolve("out"));
        runOk("mcopy", "-s", "-n", "-i", img[0] + "@@1M", "::/*", out.toString());
        assertThat(runOk("diff", "-r", "--no-dereference", src.toString(), out.toString()))
                .isEmpty();
    }

    @Test
    void symbolicLinksAreLeftOut() throws Exception {
        Path src = source();
        Files.createSymbolicLink(src.resolve("link"), Path.of("hello.txt"));
        Path[] img = image(configured("dir=" + src));
        String listing = runOk("mdir", "-b", "-i", img[0] + "@@1M", "::/");
        assertThat(listing).contains("::/hello.txt").doesNotContain("::/link");
    }

    @Test
    void labelAndSizeAreWhatWasAsked() throws Exception {
        Path[] img = image(configured("dir=" + source(), "label=MY DISK", "size=64M"));
        assertThat(Files.size(img[0])).isEqualTo(64L << 20);
        assertThat(runOk("mlabel", "-s", "-i", img[0] + "@@1M", "::")).contains("MY DISK");
        assertThat(runOk("fsck.fat", "-n", img[1].toString())).doesNotContain("Leaving filesystem unchanged");
    }

    @Test
    void theDefaultLabelIsNbdkits() throws Exception {
        Path[] img = image(configured("dir=" + source()));
        assertThat(runOk("mlabel", "-s", "-i", img[0] + "@@1M", "::")).contains("NBDKITFLOPY");
    }

    @Test
    void anEmptyDirectoryMakesAValidEmptyFileSystem() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-dir"));
        Path[] img = image(configured("dir=" + empty));
        assertThat(runOk("fsck.fat", "-n", img[1].toString())).contains("1 files, 1/65525 clusters");
    }

    @Test
    void aFileThatShrankSinceStartIsAnErrorNotWrongBytes() throws Exception {
        Path src = source();
        FloppyPlugin plugin = configured("dir=" + src);
        Files.write(src.resolve("sub/random.bin"), new byte[10]);
        try (Handle h = plugin.open(DiskImages.request())) {
            ByteBuffer all = ByteBuffer.allocate((int) Math.min(h.size(), 64 << 20));
            assertThatThrownBy(() -> h.pread(all, 0, 0)).isInstanceOf(NbdException.class)
                    .hasMessageContaining("random.bin").hasMessageContaining("shorter");
        }
    }

    @Test
    void badParametersAreRefusedNamingTheRule() throws Exception {
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured("dir=" + tmp, "label=TWELVE CHARS")).hasMessageContaining("11");
        assertThatThrownBy(() -> configured("dir=" + tmp, "label=lower")).hasMessageContaining("label");
        assertThatThrownBy(() -> configured("dir=" + tmp, "label=A.B")).hasMessageContaining("label");
        assertThatThrownBy(() -> configured("dir=" + tmp, "size=1M")).hasMessageContaining("too small");
        assertThatThrownBy(() -> configured("dir=" + tmp.resolve("missing"))).hasMessageContaining("missing");
        assertThatThrownBy(() -> configured("dir=" + tmp, "dir=" + tmp)).hasMessageContaining("once");
        assertThatThrownBy(() -> configured("dir=" + tmp, "colour=blue")).hasMessageContaining("accepted: dir, label, size");
        assertThat(new FloppyPlugin().parameters()).extracting(p -> p.key()).isEqualTo(List.of("dir", "label", "size"));
    }
}
