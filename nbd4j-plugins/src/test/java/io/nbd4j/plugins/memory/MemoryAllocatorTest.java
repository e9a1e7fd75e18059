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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** The smaps entry of the mapping that holds {@code address}: its lines after the range line. */
    private static List<String> smapsOf(long address) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"));
        List<String> entry = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                inside = Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
            } else if (inside) {
                entry.add(line);
            }
        }
        return entry;
    }

    @Test
    void hugePagesMapsRegionsAlignedAndEligibleForTransparentHugePages() throws Exception {
        long hugePage = AnonymousMemory.transparentHugePageSize();
        assumeTrue(hugePage > 0 && hugePage <= PageTable.REGION_BYTES, "the kernel offers no transparent huge pages");
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment region = AnonymousMemory.mapHuge(PageTable.REGION_BYTES, hugePage, arena);
            assertThat(region.address() % hugePage).isZero();
            assertThat(region.byteSize()).isEqualTo(PageTable.REGION_BYTES);
            region.set(java.lang.foreign.ValueLayout.JAVA_BYTE, hugePage + 1, (byte) 7);
            List<String> smaps = smapsOf(region.address() + hugePage);
            // hg: the mapping was advised MADV_HUGEPAGE
            assertThat(smaps).anyMatch(line -> line.matches("VmFlags:.* hg( .*)?"));
            assertThat(smaps).anyMatch(line -> line.matches("THPeligible:\\s+1"));
        }
    }

    @Test
    void hugePagesAllocateTrimAndReportWholeHugePages() throws Exception {
        long hugePage = AnonymousMemory.transparentHugePageSize();
        assumeTrue(hugePage > 0 && hugePage <= PageTable.REGION_BYTES, "the kernel offers no transparent huge pages");
        int unit = (int) hugePage;
        Handle h = open("1G", "sparse,hugepages=true");
        assertThat(plugin.table().pageSize()).isEqualTo(unit);
        assertThat(plugin.dump()).containsEntry("hugepages", "true");

        // One 4 KiB write commits (and is reported as) the whole unit around it.
        h.pwrite(ByteBuffer.wrap(filled(4096, 'h')), unit + 4096, 0);
        assertThat(plugin.table().allocatedPages()).isEqualTo(1);
        assertThat(read(h, unit + 4096, 4096)).isEqualTo(filled(4096, 'h'));
        assertThat(read(h, unit, 4096)).containsOnly(0);
        List<String> extents = new ArrayList<>();
        h.extents(3L * unit, 0, 0, (o, l, t) -> extents.add(o + "+" + l + ":" + t));
        int hole = Extents.HOLE | Extents.ZERO;
        assertThat(extents).containsExactly("0+" + unit + ":" + hole, unit + "+" + unit + ":" + Extents.DATA,
                2 * unit + "+" + unit + ":" + hole);

        // A trim of less than a unit zeroes in place; only a trim covering the whole unit releases it.
        h.trim(4096, unit + 4096, 0);
        assertThat(read(h, unit + 4096, 4096)).containsOnly(0);
        assertThat(plugin.table().allocatedPages()).isEqualTo(1);
        h.trim(2L * unit, unit / 2, 0);
        assertThat(plugin.table().allocatedPages()).isZero();
        extents.clear();
        h.extents(3L * unit, 0, 0, (o, l, t) -> extents.add(o + "+" + l + ":" + t));
        assertThat(extents).containsExactly("0+" + 3 * unit + ":" + hole);
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
        assertThatThrownBy(() -> plugin.config("allocator", "malloc,hugepages=true")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sparse takes hugepages=true|false");
        assertThatThrownBy(() -> plugin.config("allocator", "sparse,hugepages=maybe")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> plugin.config("allocator", "zstd")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("zstd");
    }
}
