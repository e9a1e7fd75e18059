package io.nbd4j.plugins.data;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.nbd4j.plugins.data.DataDisks.open;
import static io.nbd4j.plugins.data.DataDisks.plugin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Extents come in nbdkit's 32 KiB pages: never written is a hole, written but all zero is zero and
 * allocated, the rest is data. The expectations are nbdkit 1.32's answers (test-data-extents.sh).
 */
class DataExtentsTest {
    private static final int K32 = 32 * 1024;
    private static final int HOLE = Extents.HOLE | Extents.ZERO;

    record Extent(long offset, long length, int type) {}

    private static List<Extent> extents(Handle h, long length, long offset, int flags) throws Exception {
        List<Extent> got = new ArrayList<>();
        h.extents(length, offset, flags, (o, l, t) -> got.add(new Extent(o, l, t)));
        return got;
    }

    private static List<Extent> extentsOf(String data, String size) throws Exception {
        DataPlugin p = plugin("data", data, "size", size);
        try {
            Handle h = open(p);
            return extents(h, h.size(), 0, 0);
        } finally {
            p.unload();
        }
    }

    @Test
    void anEmptyDiskIsOneHole() throws Exception {
        assertThat(extentsOf("", "1M")).containsExactly(new Extent(0, 1 << 20, HOLE));
    }

    @Test
    void oneByteMakesItsWhole32KiBPageData() throws Exception {
        assertThat(extentsOf("1", "32K")).containsExactly(new Extent(0, K32, Extents.DATA));
        assertThat(extentsOf("1", "1M")).containsExactly(new Extent(0, K32, Extents.DATA), new Extent(K32, (1 << 20) - K32, HOLE));
    }

    @Test
    void writtenZeroBytesAreAllocatedZeroPagesButAZeroFillIsAHole() throws Exception {
        assertThat(extentsOf("@32768 1 @65536 1 @131072 0 @163840 0", "1M")).containsExactly(
                new Extent(0, K32, HOLE),
                new Extent(K32, 2 * K32, Extents.DATA),
                new Extent(3 * K32, K32, HOLE),
                new Extent(4 * K32, 2 * K32, Extents.ZERO),
                new Extent(6 * K32, (1 << 20) - 6 * K32, HOLE));
        assertThat(extentsOf("@131072 0 0", "1M")).containsExactly(new Extent(0, 1 << 20, HOLE));
    }

    @Test
    void aZeroOverWrittenDataFreesThePagesItEmpties() throws Exception {
        assertThat(extentsOf("1*40000 @131072 0 @32768 (@100000)", "1M"))
                .containsExactly(new Extent(0, K32, Extents.DATA), new Extent(K32, (1 << 20) - K32, HOLE));
    }

    @Test
    void aLastPartialPageEndsAtTheDiskSize() throws Exception {
        assertThat(extentsOf("@40000 1", "40001"))
                .containsExactly(new Extent(0, K32, HOLE), new Extent(K32, 40001 - K32, Extents.DATA));
    }

    @Test
    void aRangeStartingInsideAPageIsReportedFromItsStart() throws Exception {
        DataPlugin p = plugin("data", "@32768 1", "size", "1M");
        assertThat(extents(open(p), 100, K32 - 50, 0))
                .containsExactly(new Extent(K32 - 50, 50, HOLE), new Extent(K32, 50, Extents.DATA));
        p.unload();
    }

    @Test
    void onlyTheFirstExtentWhenTheClientAsksForOne() throws Exception {
        DataPlugin p = plugin("data", "@32768 1", "size", "1M");
        assertThat(extents(open(p), 1 << 20, 0, Flags.REQ_ONE)).containsExactly(new Extent(0, K32, HOLE));
        p.unload();
    }

    @Test
    void clientWritesOfZeroesAllocateAndZeroCommandsRelease() throws Exception {
        DataPlugin p = plugin("data", "", "size", "1M");
        Handle h = open(p);
        h.pwrite(ByteBuffer.wrap(new byte[10]), 3 * K32 + 5, 0);
        h.pwrite(ByteBuffer.wrap(new byte[] {7}), 5 * K32, 0);
        assertThat(extents(h, 1 << 20, 0, 0)).containsExactly(
                new Extent(0, 3 * K32, HOLE),
                new Extent(3 * K32, K32, Extents.ZERO),
                new Extent(4 * K32, K32, HOLE),
                new Extent(5 * K32, K32, Extents.DATA),
                new Extent(6 * K32, (1 << 20) - 6 * K32, HOLE));
        h.zero(2 * K32, 3 * K32, 0);
        assertThat(extents(h, 1 << 20, 0, 0)).containsExactly(
                new Extent(0, 5 * K32, HOLE),
                new Extent(5 * K32, K32, Extents.DATA),
                new Extent(6 * K32, (1 << 20) - 6 * K32, HOLE));
        p.unload();
    }
}
