package io.nbd4j.plugins.nulldisk;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NullPluginTest {
    private final NullPlugin plugin = new NullPlugin();

    private Handle open() throws Exception {
        plugin.configComplete();
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    @Test
    void sizeDefaultsToZero() throws Exception {
        assertThat(open().size()).isZero();
    }

    @Test
    void writesVanishAndReadsAreZeroes() throws Exception {
        plugin.config("size", "1M");
        Handle h = open();
        byte[] ones = new byte[4096];
        Arrays.fill(ones, (byte) 1);
        h.pwrite(ByteBuffer.wrap(ones), 0, Flags.FUA);
        h.trim(4096, 0, 0);
        h.zero(4096, 0, Flags.FAST_ZERO);
        h.flush(0);
        ByteBuffer heap = ByteBuffer.wrap(ones.clone());
        h.pread(heap, 0, 0);
        assertThat(heap.array()).containsOnly(0);
        ByteBuffer direct = ByteBuffer.allocateDirect(200_000);
        direct.put(0, ones);
        h.pread(direct, 0, 0);
        assertThat(direct.mismatch(ByteBuffer.allocate(200_000))).isEqualTo(-1);
    }

    @Test
    void readsOfUpTo64KiBAreReadOnlyViewsOfZeroesAndLongerOnesHaveNone() throws Exception {
        plugin.config("size", "1G");
        Handle h = open();
        ByteBuffer view = h.readView(12345, 4096);
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(4096);
        assertThat(view.mismatch(ByteBuffer.allocate(4096))).isEqualTo(-1);
        assertThat(h.readView(0, 64 * 1024).mismatch(ByteBuffer.allocate(64 * 1024))).isEqualTo(-1);
        assertThat(h.readView(0, 64 * 1024 + 1)).isNull();
    }

    @Test
    void theWholeDiskIsOneHole() throws Exception {
        plugin.config("size", "1G");
        Handle h = open();
        List<long[]> got = new ArrayList<>();
        h.extents(1 << 20, 4096, 0, (o, l, t) -> got.add(new long[] {o, l, t}));
        assertThat(got).containsExactly(new long[] {4096, 1 << 20, Extents.HOLE | Extents.ZERO});
    }

    @Test
    void advertisesAWritableMultiConnDiskWithNativeFua() throws Exception {
        Handle h = open();
        assertThat(h.canWrite()).isTrue();
        assertThat(h.canMultiConn()).isTrue();
        assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
        assertThat(h.canTrim() && h.canZero() && h.canFlush() && h.canExtents() && h.canFastZero()).isTrue();
        assertThat(plugin.magicConfigKey()).isEqualTo("size");
    }

    @Test
    void badSizeNamesTheParameter() {
        assertThatThrownBy(() -> plugin.config("size", "lots")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
    }
}
