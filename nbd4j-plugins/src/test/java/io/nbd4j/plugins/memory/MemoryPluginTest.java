package io.nbd4j.plugins.memory;

import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryPluginTest {
    private static final int PAGE = AnonymousMemory.pageSize();
    private final MemoryPlugin plugin = new MemoryPlugin();

    @AfterEach
    void unload() {
        plugin.unload();
    }

    private Handle open(String size) throws Exception {
        plugin.config("size", size);
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    private long allocatedPages() {
        return plugin.table().allocatedPages();
    }

    private static ByteBuffer bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + 1);
        }
        return ByteBuffer.wrap(b);
    }

    private static ByteBuffer read(Handle h, int length, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b;
    }

    private static boolean allZero(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static List<long[]> extents(Handle h, long length, long offset, int flags) throws IOException {
        List<long[]> list = new ArrayList<>();
        h.extents(length, offset, flags, (o, l, t) -> list.add(new long[] {o, l, t}));
        return list;
    }

    @Test
    void advertisesWhatARamDiskCanDo() throws Exception {
        Handle h = open("1M");
        assertThat(h.size()).isEqualTo(1 << 20);
        assertThat(h.canWrite()).isTrue();
        assertThat(h.canFlush()).isTrue();
        assertThat(h.canTrim()).isTrue();
        assertThat(h.canZero()).isTrue();
        assertThat(h.canFastZero()).isTrue();
        assertThat(h.canExtents()).isTrue();
        assertThat(h.canMultiConn()).isTrue();
        assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
        assertThat(h.canCache()).isEqualTo(CacheMode.NATIVE);
        assertThat(plugin.threadModel()).isEqualTo(ThreadModel.PARALLEL);
        assertThat(plugin.magicConfigKey()).isEqualTo("size");
    }

    @Test
    void readAfterWriteAcrossPageAndRegionBoundaries() throws Exception {
        Handle h = open("256M");
        long[] offsets = {PAGE - 100, PageTable.REGION_BYTES - 5000, 3 * PageTable.REGION_BYTES - 1};
        for (long offset : offsets) {
            ByteBuffer data = bytes(3 * PAGE + 200, (int) offset);
            h.pwrite(data.duplicate(), offset, Flags.FUA);
            assertThat(read(h, data.capacity(), offset)).isEqualTo(data);
            assertThat(allZero(read(h, 100, offset - 100))).isTrue();
        }
    }

    @Test
    void directBuffersAreReadAndWrittenLikeHeapBuffers() throws Exception {
        Handle h = open("1M");
        ByteBuffer direct = ByteBuffer.allocateDirect(10_000).put(bytes(10_000, 3)).flip();
        h.pwrite(direct, 777, 0);
        ByteBuffer back = ByteBuffer.allocateDirect(12_000);
        h.pread(back, 0, 0);
        assertThat(back.slice(777, 10_000)).isEqualTo(bytes(10_000, 3));
        assertThat(allZero(back.slice(0, 777))).isTrue();
        assertThat(allZero(back.slice(10_777, 12_000 - 10_777))).isTrue();
    }

    @Test
    void unwrittenAreasReadAsZeroesWithoutAllocating() throws Exception {
        Handle h = open("1G");
        ByteBuffer b = bytes(4 << 20, 1);
        h.pread(b, 0, 0);
        assertThat(allZero(b)).isTrue();
        h.pread(b.clear(), (1 << 30) - b.capacity(), 0);
        assertThat(allZero(b)).isTrue();
        assertThat(allocatedPages()).isZero();
    }

    @Test
    void writesAllocateOnlyThePagesTheyTouch() throws Exception {
        Handle h = open("1G");
        h.pwrite(bytes(10, 1), PAGE - 5, 0);
        assertThat(allocatedPages()).isEqualTo(2);
        h.pwrite(bytes(PAGE, 2), 0, 0);
        assertThat(allocatedPages()).isEqualTo(2);
    }

    @Test
    void trimReleasesWholePagesAndZeroFillsTheEnds() throws Exception {
        Handle h = open("1M");
        h.pwrite(bytes(8 * PAGE, 1), 0, 0);
        assertThat(allocatedPages()).isEqualTo(8);
        h.trim(4 * PAGE, PAGE + 10, 0);
        assertThat(allocatedPages()).isEqualTo(5);
        ByteBuffer whole = read(h, 8 * PAGE, 0);
        ByteBuffer expected = bytes(8 * PAGE, 1);
        expected.put(PAGE + 10, new byte[4 * PAGE]);
        assertThat(whole).isEqualTo(expected);
    }

    @Test
    void zeroReleasesWholePagesWithOrWithoutMayTrim() throws Exception {
        Handle h = open("1M");
        h.pwrite(bytes(8 * PAGE, 1), 0, 0);
        h.zero(2 * PAGE, 0, Flags.MAY_TRIM);
        h.zero(2 * PAGE, 4 * PAGE, 0);
        h.zero(PAGE / 2, 7 * PAGE, Flags.FAST_ZERO);
        assertThat(allocatedPages()).isEqualTo(4);
        ByteBuffer expected = bytes(8 * PAGE, 1);
        expected.put(0, new byte[2 * PAGE]).put(4 * PAGE, new byte[2 * PAGE]).put(7 * PAGE, new byte[PAGE / 2]);
        assertThat(read(h, 8 * PAGE, 0)).isEqualTo(expected);
    }

    @Test
    void extentsReportWrittenPagesAsDataAndTheRestAsHoles() throws Exception {
        Handle h = open("1G");
        h.pwrite(bytes(PAGE, 1), 2 * PAGE, 0);
        h.pwrite(bytes(1, 1), PageTable.REGION_BYTES + 1, 0);
        int hole = Extents.HOLE | Extents.ZERO;
        assertThat(extents(h, 1L << 30, 0, 0)).containsExactly(
                new long[] {0, 2 * PAGE, hole},
                new long[] {2 * PAGE, PAGE, Extents.DATA},
                new long[] {3 * PAGE, PageTable.REGION_BYTES - 3 * PAGE, hole},
                new long[] {PageTable.REGION_BYTES, PAGE, Extents.DATA},
                new long[] {PageTable.REGION_BYTES + PAGE, (1L << 30) - PageTable.REGION_BYTES - PAGE, hole});
        assertThat(extents(h, 1L << 30, 100, Flags.REQ_ONE)).containsExactly(new long[] {100, 2 * PAGE - 100, hole});
        assertThat(extents(h, 10, 2 * PAGE + 5, 0)).containsExactly(new long[] {2 * PAGE + 5, 10, Extents.DATA});
    }

    @Test
    void eightThreadsWritingDisjointPagesAllLand() throws Exception {
        Handle h = open("64M");
        int threads = 8;
        int pagesEach = 256;
        CyclicBarrier start = new CyclicBarrier(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    // Interleave the threads' pages so neighbours share bitmap words.
                    for (int p = 0; p < pagesEach; p++) {
                        h.pwrite(bytes(PAGE, id * 1000 + p), (long) (p * threads + id) * PAGE, 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        for (int t = 0; t < threads; t++) {
            for (int p = 0; p < pagesEach; p++) {
                assertThat(read(h, PAGE, (long) (p * threads + t) * PAGE)).isEqualTo(bytes(PAGE, t * 1000 + p));
            }
        }
        assertThat(allocatedPages()).isEqualTo((long) threads * pagesEach);
    }

    @Test
    void twoWritersInstallingTheSamePageKeepBothHalves() throws Exception {
        Handle h = open("64M");
        int rounds = 2000;
        int half = PAGE / 2;
        CyclicBarrier together = new CyclicBarrier(2);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> low = pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    together.await();
                    h.pwrite(bytes(half, 1), (long) r * PAGE, 0);
                }
                return null;
            });
            Future<?> high = pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    together.await();
                    h.pwrite(bytes(half, 2), (long) r * PAGE + half, 0);
                }
                return null;
            });
            low.get();
            high.get();
        }
        for (int r = 0; r < rounds; r++) {
            ByteBuffer page = read(h, PAGE, (long) r * PAGE);
            assertThat(page.slice(0, half)).isEqualTo(bytes(half, 1));
            assertThat(page.slice(half, half)).isEqualTo(bytes(half, 2));
        }
    }

    @Test
    void readsRacingWritesAndReleasesSeeOnlyZeroesOrWrittenBytes() throws Exception {
        Handle h = open("1M");
        int span = 16 * PAGE;
        byte[] sevens = new byte[span];
        Arrays.fill(sevens, (byte) 7);
        int rounds = 3000;
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            Future<?> writer = pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    h.pwrite(ByteBuffer.wrap(sevens, 0, (r % 16 + 1) * PAGE), (r % 3) * 100, 0);
                }
                return null;
            });
            Future<?> releaser = pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    h.zero(span - (r % 5) * PAGE, (r % 2) * PAGE, Flags.MAY_TRIM);
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(span + 300);
                for (int r = 0; r < rounds; r++) {
                    h.pread(b.clear(), 0, 0);
                    for (int i = 0; i < b.capacity(); i++) {
                        byte v = b.get(i);
                        if (v != 0 && v != 7) {
                            throw new AssertionError("byte " + i + " read as " + v);
                        }
                    }
                }
                return null;
            });
            writer.get();
            releaser.get();
            reader.get();
        }
        h.zero(1 << 20, 0, 0);
        assertThat(allocatedPages()).isZero();
        assertThat(allZero(read(h, span + 300, 0))).isTrue();
    }

    @Test
    void theLargestSizeParsesAndServesItsLastBytes() throws Exception {
        Handle h = open(Long.toString(Long.MAX_VALUE));
        assertThat(h.size()).isEqualTo(Long.MAX_VALUE);
        long offset = Long.MAX_VALUE - 3 * PAGE - 7;
        ByteBuffer data = bytes(3 * PAGE + 7, 9);
        h.pwrite(data.duplicate(), offset, 0);
        assertThat(read(h, data.capacity(), offset)).isEqualTo(data);
        assertThat(extents(h, Long.MAX_VALUE - PAGE, 0, Flags.REQ_ONE))
                .containsExactly(new long[] {0, offset & -PAGE, Extents.HOLE | Extents.ZERO});
        h.trim(Long.MAX_VALUE, 0, 0);
        assertThat(allocatedPages()).isZero();
        assertThat(allZero(read(h, data.capacity(), offset))).isTrue();
    }

    @Test
    void releasedPagesLeaveTheProcess() throws Exception {
        Handle h = open("1G");
        int chunk = 4 << 20;
        ByteBuffer data = bytes(chunk, 5);
        long total = 256L << 20;
        for (long off = 0; off < total; off += chunk) {
            h.pwrite(data.duplicate(), off, 0);
        }
        long before = residentBytes();
        h.trim(total, 0, 0);
        long after = residentBytes();
        assertThat(before - after).isGreaterThan(total * 3 / 4);
    }

    private static long residentBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(statm[1]) * PAGE;
    }

    @Test
    void sizeIsRequired() {
        assertThatThrownBy(plugin::configComplete).isInstanceOf(ConfigException.class).hasMessageContaining("size");
    }

    @Test
    void badSizesNameTheParameter() {
        assertThatThrownBy(() -> plugin.config("size", "12Q")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
        assertThatThrownBy(() -> plugin.config("size", "9E")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> plugin.config("sise", "1")).isInstanceOf(ConfigException.class).hasMessageContaining("sise");
    }

    @Test
    void everyConnectionSeesTheSameDisk() throws Exception {
        Handle first = open("1M");
        Handle second = plugin.open(new OpenRequest("", false, false, 2, ThreadModel.PARALLEL, false));
        first.pwrite(bytes(100, 4), 50, 0);
        assertThat(read(second, 100, 50)).isEqualTo(bytes(100, 4));
        assertThat(Arrays.asList(first.size(), second.size())).containsOnly(1L << 20);
    }
}
