package io.nbd4j.plugins.iso;

import io.nbd4j.plugins.common.DiskImages;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nbd4j.plugins.common.DiskImages.runOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoPluginTest {
    @TempDir
    Path tmp;

    private Path tmpdir() throws Exception {
        return Files.createDirectories(tmp.resolve("tmpdir"));
    }

    private IsoPlugin configured(String... keyValues) throws Exception {
        return DiskImages.configured(new IsoPlugin(tmpdir()), keyValues);
    }

    private void assertTmpdirEmpty() throws Exception {
        DiskImages.assertEmpty(tmpdir());
    }

    @Test
    void directoriesAreMergedOntoTheCdWithLongNamesFromParams() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b/deep"));
        Files.writeString(a.resolve("a rather long file name.txt"), "from a\n");
        Files.writeString(b.resolve("nested.txt"), "from b\n");
        IsoPlugin plugin = configured("dir=" + a, "dir=" + b.getParent(), "params=-JrT -V 'My Disk'");
        plugin.getReady(ThreadModel.PARALLEL);
        assertTmpdirEmpty();
        Path iso = tmp.resolve("cd.iso");
        try (Handle h = plugin.open(DiskImages.request())) {
            assertThat(h.canWrite()).isFalse();
            assertThat(h.canMultiConn()).isTrue();
            DiskImages.copy(h, iso);
        }
        plugin.unload();

        Path out = tmp.resolve("out");
        runOk("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", out.toString());
        assertThat(out.resolve("a rather long file name.txt")).hasContent("from a");
        assertThat(out.resolve("deep/nested.txt")).hasContent("from b");
        assertThat(runOk("xorriso", "-indev", iso.toString(), "-pvd_info")).contains("My Disk");
    }

    @Test
    void aFailingProgramStopsTheStartWithItsMessageAndLeavesNothing() throws Exception {
        IsoPlugin plugin = configured("dir=" + tmp, "prog=xorriso", "params=-no-such-option-h2");
        assertThatThrownBy(() -> plugin.getReady(ThreadModel.PARALLEL)).isInstanceOf(NbdException.class)
                .hasMessageContaining("exit status").hasMessageContaining("no-such-option-h2");
        assertTmpdirEmpty();
        IsoPlugin missing = configured("dir=" + tmp, "prog=no-such-mkisofs-h2");
        assertThatThrownBy(() -> missing.getReady(ThreadModel.PARALLEL)).isInstanceOf(NbdException.class)
                .hasMessageContaining("no-such-mkisofs-h2");
        assertTmpdirEmpty();
    }

    @Test
    void dumpPluginNamesTheProgram() throws Exception {
        assertThat(configured("dir=" + tmp).dump()).containsEntry("iso_prog", "xorriso");
        assertThat(configured("dir=" + tmp, "prog=/usr/bin/genisoimage").dump()).containsEntry("iso_prog", "/usr/bin/genisoimage");
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured("dir=" + tmp.resolve("missing"))).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> configured("dir=" + tmp, "volume=x")).hasMessageContaining("accepted: dir, params, prog");
    }
}
