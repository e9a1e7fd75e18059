package io.nbd4j.filters.extentlist;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ExtentListFilterTest {
    @TempDir
    Path dir;

    private Path list(String content) throws Exception {
        return Files.writeString(dir.resolve("extents"), content);
    }

    @Test
    void blockStatusComesFromTheListWithGapsAsHolesAndThePluginIsNeverAsked() throws Exception {
        Path file = list("""
                48K 8K zero
                0 16K

                16K\t8K hole,zero
                32K 8K 1
                """);
        ScriptedPlugin disk = new ScriptedPlugin(64 << 10);
        try (ServedStack served = ServedStack.of(disk, new ExtentListFilter()).config("extentlist=" + file).start();
             NbdClient client = served.connect()) {
            assertThat(client.blockStatus(64 << 10, 0, 0)).extracting(Extent::offset, Extent::length, Extent::flags)
                    .containsExactly(tuple(0L, 16384L, 0L), tuple(16384L, 16384L, 3L), tuple(32768L, 8192L, 1L),
                            tuple(40960L, 8192L, 3L), tuple(49152L, 8192L, 2L), tuple(57344L, 8192L, 3L));
            // The last extent runs on to the end of the list's entry, past the request, as nbdkit sends it.
            assertThat(client.blockStatus(4096, 20000, 0)).extracting(Extent::offset, Extent::length)
                    .containsExactly(tuple(20000L, 24576L - 20000L));
        }
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void anEmptyListMakesTheWholeDiskAHole() throws Exception {
        ExtentTable table = ExtentTable.read(list(""));
        io.nbd4j.spi.ExtentList got = new io.nbd4j.spi.ExtentList(0, 1 << 20);
        table.report(1 << 20, 0, got);
        assertThat(got.extents()).extracting(io.nbd4j.spi.Extent::length, io.nbd4j.spi.Extent::type)
                .containsExactly(tuple(1048576L, 3));
    }

    @Test
    void overlapsUnknownTypesAndAMissingFileStopTheStartNamingTheProblem() throws Exception {
        ExtentListFilter overlapping = Layers.configured(new ExtentListFilter(), "extentlist=" + list("0 8K\n4K 8K\n"));
        assertThatThrownBy(() -> overlapping.getReady(ThreadModel.PARALLEL)).hasMessageContaining("overlap");
        ExtentListFilter badType = Layers.configured(new ExtentListFilter(), "extentlist=" + list("0 8K holey\n"));
        assertThatThrownBy(() -> badType.getReady(ThreadModel.PARALLEL)).hasMessageContaining("line 1").hasMessageContaining("holey");
        ExtentListFilter missing = Layers.configured(new ExtentListFilter(), "extentlist=" + dir.resolve("none"));
        assertThatThrownBy(() -> missing.getReady(ThreadModel.PARALLEL)).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> Layers.configured(new ExtentListFilter())).hasMessageContaining("required");
    }
}
