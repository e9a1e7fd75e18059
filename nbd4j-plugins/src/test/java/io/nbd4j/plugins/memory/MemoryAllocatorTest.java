package io.nbd4j.plugins.memory;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code allocator=}: the page table, one contiguous allocation, and its mlock option. */
class MemoryAllocatorTest {
    private final MemoryPlugin plugin = new MemoryPlugin();

    @AfterEach
    void unload() {
        plugin.unload();
    }

    private Handle open(String size, String allocator) throws Exception {
        plugin.config("size", size);
        plugin.config("allocator", allocator);
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    private static byte[] read(Handle h, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        h.pread(b, offset, 0);
        byte[] out = new byte[length];
        b.get(0, out);
        return out;
    }

    private static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void mallocStoresWritesAnywhereAndReadsThemBack() throws Exception {
        Handle h = open("16M", "malloc");
        h.pwrite(ByteBuffer.wrap(filled(512, '1')), 0, 0);
        h.pwrite(ByteBuffer.wrap(filled(65536, '2')), 8 * 1024 * 1024 + 1, 0);
        h.pwrite(ByteBuffer.wrap(filled(512, '3')), 16 * 1024 * 1024 - 512, 0);
        assertThat(read(h, 0, 512)).isEqualTo(filled(512, '1'));
        assertThat(read(h, 8 * 1024 * 1024 + 1, 65536)).isEqualTo(filled(65536, '2'));
        assertThat(read(h, 16 * 1024 * 1024 - 512, 512)).isEqualTo(filled(512, '3'));
        assertThat(read(h, 512, 4096)).containsOnly(0);
        assertThat(plugin.dump()).containsEntry("allocator", "malloc");
    }

    @Test
    void mallocZeroesAndTrimsInPlaceAndReportsEverythingAsData() throws Exception {
        Handle h = open("1M", "malloc");
        h.pwrite(ByteBuffer.wrap(filled(8192, 'x')), 4096, 0);
        h.zero(100, 4100, 0);
        h.trim(4096, 8192, 0);
        byte[] after = read(h, 4096, 8192);
        assertThat(Arrays.copyOfRange(after, 0, 4)).containsOnly('x');
        assertThat(Arrays.copyOfRange(after, 4, 104)).containsOnly(0);
        assertThat(Arrays.copyOfRange(after, 104, 4096)).containsOnly('x');
        assertThat(Arrays.copyOfRange(after, 4096, 8192)).containsOnly(0);
        List<String> extents = new ArrayList<>();
        h.extents(1 << 20, 0, 0, (o, l, t) -> extents.add(o + "+" + l + ":" + t));
        assertThat(extents).containsExactly("0+1048576:" + Extents.DATA);
        ByteBuffer view = h.readView(4096, 4);
        assertThat(view.get(0)).isEqualTo((byte) 'x');
    }

    @Test
    void mlockLocksASmallDiskWithinTheUsualLimit() throws Exception {
        Handle h = open("10240", "malloc,mlock=true");
        h.pwrite(ByteBuffer.wrap(filled(1024, '5')), 10240 - 1024, 0);
        assertThat(read(h, 10240 - 1024, 1024)).isEqualTo(filled(1024, '5'));
    }

    @Test
    void mallocOfMoreThanTheKernelWillPromiseFailsAtStart() throws Exception {
        plugin.config("size", "1E");
        plugin.config("allocator", "malloc");
        plugin.configComplete();
        assertThatThrownBy(() -> plugin.getReady(ThreadModel.PARALLEL)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("allocator=malloc");
    }

    @Test
    void sparseStaysThePageTable() throws Exception {
        Handle h = open("1G", "sparse");
        h.pwrite(ByteBuffer.wrap(filled(4096, 'y')), 1 << 29, 0);
        assertThat(plugin.table().allocatedPages()).isEqualTo(4096 / plugin.table().pageSize());
    }

    @Test
    void badAllocatorsAndOptionsAreRefusedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> plugin.config("allocator", "slab")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sparse, malloc");
        assertThatThrownBy(() -> plugin.config("allocator", "sparse,mlock=true")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mlock");
        assertThatThrownBy(() -> plugin.config("allocator", "malloc,lock=true")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mlock=true|false");
        assertThatThrownBy(() -> plugin.config("allocator", "malloc,mlock=maybe")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> plugin.config("allocator", "zstd")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("zstd");
    }
}
