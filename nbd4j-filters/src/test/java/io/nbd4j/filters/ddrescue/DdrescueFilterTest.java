package io.nbd4j.filters.ddrescue;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DdrescueFilterTest {
    @TempDir
    Path dir;

    private Path mapfile(String text) throws Exception {
        return Files.writeString(dir.resolve("disk.map"), text);
    }

    private static void assertEio(ThrowingRead read) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(NbdClientException.class,
                e -> assertThat(e.error()).isEqualTo(NbdError.EIO.wireValue()));
    }

    @FunctionalInterface
    interface ThrowingRead {
        void run() throws Exception;
    }

    @Test
    void readsOfRescuedRangesPassAndReadsTouchingBadSectorsFailWithEio() throws Exception {
        byte[] content = new byte[4096];
        Arrays.fill(content, (byte) 'r');
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fill(0, content);
        Path map = mapfile("""
                # Mapfile. Created by GNU ddrescue
                # current_pos  current_status  current_pass
                0x00000000     +               1
                #      pos        size  status
                0x00000000  0x00000200  +
                0x00000200  0x00000200  -
                0x00000400  0x00000200  +
                0x00000600  0x00000200  +
                0x00000800  0x000FF800  /
                """);
        try (ServedStack served = ServedStack.of(disk, new DdrescueFilter()).config("ddrescue-mapfile=" + map).start();
             NbdClient client = served.connect()) {
            assertThat(client.pread(0, 512)).isEqualTo(Arrays.copyOf(content, 512));
            assertEio(() -> client.pread(512, 512));
            assertEio(() -> client.pread(500, 20));
            assertThat(client.pread(1024, 1024)).isEqualTo(Arrays.copyOf(content, 1024));
            assertEio(() -> client.pread(1536, 1024));
            assertThat(client.isReadOnly()).isTrue();
            assertThat(client.canCache()).isFalse();
        }
        assertThat(disk.calls()).containsExactly("pread 0+512", "pread 1024+1024");
    }

    @Test
    void theStatusLineIsNotARangeAndLinesThatAreNoRangesAreIgnored() throws Exception {
        DdrescueFilter filter = Layers.configured(new DdrescueFilter(),
                "ddrescue-mapfile=" + mapfile("0 + 1\nnot a range\n0 512 +\n512 512 +\n4096 512 *\n"));
        try (ServedStack served = ServedStack.of(new ScriptedPlugin(8192), filter).start(); NbdClient client = served.connect()) {
            client.pread(0, 1024);
            assertEio(() -> client.pread(4096, 512));
        }
    }

    @Test
    void aMissingOrUnreadableMapfileOrANegativeRangeStopsTheStart() throws Exception {
        assertThatThrownBy(() -> Layers.configured(new DdrescueFilter()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ddrescue-mapfile=FILE is required");
        assertThatThrownBy(() -> Layers.configured(new DdrescueFilter(), "ddrescue-mapfile=" + dir.resolve("none")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read the mapfile");
        assertThatThrownBy(() -> Layers.configured(new DdrescueFilter(), "ddrescue-mapfile=" + mapfile("0 + 1\n-512 512 +\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("negative");
    }
}
