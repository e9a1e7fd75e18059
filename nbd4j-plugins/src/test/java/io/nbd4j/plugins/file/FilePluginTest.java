package io.nbd4j.plugins.file;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static io.nbd4j.plugins.file.Requests.directFilled;
import static io.nbd4j.plugins.file.Requests.filled;
import static io.nbd4j.plugins.file.Requests.open;
import static io.nbd4j.plugins.file.Requests.openReadOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilePluginTest {
    /** File systems known to answer SEEK_DATA/SEEK_HOLE with real holes. */
    private static final Set<String> SPARSE_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs", "tmpfs", "f2fs", "zfs");
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    static FilePlugin configured(String... keyValues) throws ConfigException {
        FilePlugin plugin = new FilePlugin();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            plugin.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    private Path sparseFile(String name, long size) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    private static RecordingExtents extents(Handle h, long offset, long length) throws IOException {
        RecordingExtents sink = new RecordingExtents();
        h.extents(length, offset, 0, sink);
        return sink;
    }

    private boolean fileSystemHasHoles() throws IOException {
        return SPARSE_FILE_SYSTEMS.contains(Files.getFileStore(tmp).type());
    }

    @Test
    void writtenBytesReadBackAndReachTheFile() throws Exception {
        Path disk = sparseFile("disk.img", MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(MIB);
            assertThat(h.canWrite()).isTrue();
            assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
            h.pwrite(ByteBuffer.wrap(filled(5000, 0x5a)), 4000, 0);
            h.pwrite(directFilled(10, 7), 100, Flags.FUA);
            h.flush(0);
            assertThat(read(h, 4000, 5000)).isEqualTo(filled(5000, 0x5a));
            assertThat(read(h, 100, 10)).isEqualTo(filled(10, 7));
            assertThat(read(h, 0, 100)).isEqualTo(new byte[100]);
        }
        byte[] onDisk = Files.readAllBytes(disk);
        assertThat(onDisk[4000]).isEqualTo((byte) 0x5a);
        assertThat(onDisk[8999]).isEqualTo((byte) 0x5a);
        assertThat(onDisk[9000]).isZero();
        assertThat(plugin.openFileCount()).isZero();
    }

    @Test
    void extentsShowDataAfterWriteAndAHoleAfterTrim() throws Exception {
        Path disk = sparseFile("disk.img", 4 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(2 * MIB, 1)), MIB, 0);
            if (!fileSystemHasHoles() && !h.canExtents()) {
                // The documented fallback: everything is data.
                assertThat(extents(h, 0, 4 * MIB).all()).containsExactly(new RecordingExtents.Extent(0, 4 * MIB, Extents.DATA));
                return;
            }
            assertThat(h.canExtents()).isTrue();
            RecordingExtents written = extents(h, 0, 4 * MIB);
            assertThat(written.typeAt(0)).isEqualTo(Extents.HOLE | Extents.ZERO);
            assertThat(written.typeAt(MIB)).isEqualTo(Extents.DATA);
            assertThat(written.typeAt(3 * MIB - 1)).isEqualTo(Extents.DATA);
            assertThat(written.typeAt(3 * MIB)).isEqualTo(Extents.HOLE | Extents.ZERO);

            h.trim(MIB, MIB, 0);
            RecordingExtents trimmed = extents(h, 0, 4 * MIB);
            assertThat(trimmed.typeAt(MIB)).isEqualTo(Extents.HOLE | Extents.ZERO);
            assertThat(trimmed.typeAt(2 * MIB)).isEqualTo(Extents.DATA);
            assertThat(read(h, MIB, MIB)).isEqualTo(new byte[MIB]);
        }
    }

    @Test
    void extentsWithReqOneReportOnlyTheFirstExtent() throws Exception {
        Path disk = sparseFile("disk.img", 4 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(MIB, 1)), 2 * MIB, 0);
            RecordingExtents sink = new RecordingExtents();
            h.extents(4 * MIB, 0, Flags.REQ_ONE, sink);
            assertThat(sink.all()).hasSize(1);
            assertThat(sink.all().getFirst().offset()).isZero();
        }
    }

    @Test
    void zeroWithMayTrimDeallocatesAndReadsAsZeroes() throws Exception {
        Path disk = sparseFile("disk.img", 4 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(4 * MIB, 9)), 0, 0);
            h.zero(MIB, MIB, Flags.MAY_TRIM);
            assertThat(read(h, MIB - 1, MIB + 2)).satisfies(b -> {
                assertThat(b[0]).isEqualTo((byte) 9);
                assertThat(b[b.length - 1]).isEqualTo((byte) 9);
                assertThat(java.util.Arrays.copyOfRange(b, 1, b.length - 1)).isEqualTo(new byte[MIB]);
            });
            if (fileSystemHasHoles()) {
                assertThat(extents(h, 0, 4 * MIB).typeAt(MIB)).isEqualTo(Extents.HOLE | Extents.ZERO);
            }
        }
    }

    @Test
    void zeroWithoutMayTrimReadsAsZeroesAndKeepsNeighboursIntact() throws Exception {
        Path disk = sparseFile("disk.img", 4 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(4 * MIB, 9)), 0, 0);
            h.zero(5000, 3000, Flags.FUA);
            byte[] b = read(h, 0, 10000);
            assertThat(b[2999]).isEqualTo((byte) 9);
            assertThat(java.util.Arrays.copyOfRange(b, 3000, 8000)).isEqualTo(new byte[5000]);
            assertThat(b[8000]).isEqualTo((byte) 9);
        }
    }

    @Test
    void fastZeroSucceedsWhereTheFileSystemHasAFastPath() throws Exception {
        Path disk = sparseFile("disk.img", 4 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            h.pwrite(ByteBuffer.wrap(filled(4 * MIB, 9)), 0, 0);
            if (!fileSystemHasHoles()) {
                assertThatThrownBy(() -> h.zero(MIB, 0, Flags.FAST_ZERO))
                        .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP));
                return;
            }
            assertThat(h.canFastZero()).isTrue();
            h.zero(MIB, 0, Flags.FAST_ZERO);
            assertThat(read(h, 0, MIB)).isEqualTo(new byte[MIB]);
        }
    }

    @Test
    void readOnlyConnectionRefusesWritesWithEperm() throws Exception {
        Path disk = sparseFile("disk.img", MIB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(openReadOnly(""))) {
            assertThat(h.canWrite()).isFalse();
            assertThat(h.canTrim()).isFalse();
            assertThat(h.canZero()).isFalse();
            assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(filled(10, 1)), 0, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
            assertThat(read(h, 0, 10)).isEqualTo(new byte[10]);
        }
    }

    @Test
    void unwritableFileIsServedReadOnlyAndWritesFailWithEperm() throws Exception {
        Path disk = sparseFile("disk.img", MIB);
        try (ReadOnlyFile ignored = ReadOnlyFile.make(disk)) {
            FilePlugin plugin = configured("file=" + disk);
            try (Handle h = plugin.open(open(""))) {
                assertThat(h.canWrite()).isFalse();
                assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(filled(10, 1)), 0, 0))
                        .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
                assertThat(read(h, 0, 10)).isEqualTo(new byte[10]);
            }
        }
    }

    @Test
    void sparseFileLargerThan4GiBWorksPastThe4GiBMark() throws Exception {
        long fiveGiB = 5L << 30;
        Path disk = sparseFile("big.img", fiveGiB);
        FilePlugin plugin = configured("file=" + disk);
        try (Handle h = plugin.open(open(""))) {
            assertThat(h.size()).isEqualTo(fiveGiB);
            long offset = (4L << 30) + 12345;
            h.pwrite(ByteBuffer.wrap(filled(8192, 0x42)), offset, 0);
            assertThat(read(h, offset, 8192)).isEqualTo(filled(8192, 0x42));
            assertThat(read(h, offset - 10, 10)).isEqualTo(new byte[10]);
            if (h.canExtents()) {
                RecordingExtents e = extents(h, 4L << 30, 1L << 30);
                assertThat(e.typeAt(4L << 30)).isEqualTo(Extents.HOLE | Extents.ZERO);
                assertThat(e.typeAt(offset)).isEqualTo(Extents.DATA);
                assertThat(e.typeAt(fiveGiB - 1)).isEqualTo(Extents.HOLE | Extents.ZERO);
            }
            h.zero(MIB, offset - 100, Flags.MAY_TRIM);
            assertThat(read(h, offset, 8192)).isEqualTo(new byte[8192]);
        }
        assertThat(Files.size(disk)).isEqualTo(fiveGiB);
    }

    @Test
    void connectionsToTheSameFileShareOneOpenFileSoAnyFlushCoversAllWrites() throws Exception {
        Path disk = sparseFile("disk.img", MIB);
        FilePlugin plugin = configured("file=" + disk);
        Handle writer = plugin.open(open(""));
        Handle flusher = plugin.open(open(""));
        assertThat(writer.canMultiConn()).isTrue();
        assertThat(plugin.openFileCount()).isEqualTo(1);
        writer.pwrite(ByteBuffer.wrap(filled(4096, 3)), 0, 0);
        flusher.flush(0);
        assertThat(read(flusher, 0, 4096)).isEqualTo(filled(4096, 3));
        writer.close();
        assertThat(plugin.openFileCount()).isEqualTo(1);
        assertThat(read(flusher, 0, 1)).isEqualTo(filled(1, 3));
        flusher.close();
        assertThat(plugin.openFileCount()).isZero();
    }

    /** Bytes of the file in the page cache, from util-linux fincore. */
    private static long resident(Path file) throws Exception {
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "fincore is needed: " + out);
        return Long.parseLong(out);
    }

    private static void writeAndReadInMiBChunks(Handle h, int chunks) throws IOException {
        for (int i = 0; i < chunks; i++) {
            h.pwrite(ByteBuffer.wrap(filled(MIB, i + 1)), (long) i * MIB, 0);
        }
        for (int i = 0; i < chunks; i++) {
            assertThat(read(h, (long) i * MIB, MIB)).isEqualTo(filled(MIB, i + 1));
        }
    }

    @Test
    void cacheNoneKeepsServedDataOutOfThePageCache() throws Exception {
        Path cached = sparseFile("cached.img", 32 * MIB);
        try (Handle h = configured("file=" + cached).open(open(""))) {
            writeAndReadInMiBChunks(h, 32);
            assertThat(h.readView(0, MIB)).isNotNull();
        }
        assertThat(resident(cached)).isGreaterThanOrEqualTo(24L * MIB);

        Path uncached = sparseFile("uncached.img", 32 * MIB);
        try (Handle h = configured("file=" + uncached, "cache=none", "fadvise=sequential").open(open(""))) {
            writeAndReadInMiBChunks(h, 32);
            // a view would leave its pages in the cache after the server has sent them: reads use pread
            assertThat(h.readView(0, MIB)).isNull();
            h.cache(MIB, 0, 0);
        }
        // At most the eight most recent writes wait for eviction (plus the range just prefetched).
        assertThat(resident(uncached)).isLessThanOrEqualTo(10L * MIB);
    }

    @Test
    void relativeFileNameIsResolvedAgainstTheWorkingDirectory() throws Exception {
        Path disk = sparseFile("rel.img", 4096);
        Path relative = Path.of("").toAbsolutePath().relativize(disk);
        assertThat(relative.isAbsolute()).isFalse();
        FilePlugin plugin = configured("file=" + relative);
        try (Handle h = plugin.open(open("ignored-name"))) {
            assertThat(h.size()).isEqualTo(4096);
        }
        assertThat(plugin.listExports(false, false)).containsExactly(new Export(""));
        assertThat(plugin.defaultExport(false, false)).isEmpty();
    }

    @Test
    void dumpReportsTheNativeCapabilities() throws Exception {
        Path disk = sparseFile("disk.img", 4096);
        var dump = configured("file=" + disk).dump();
        assertThat(dump).containsKeys("file_ffm", "file_extents", "file_falloc_fl_punch_hole", "file_falloc_fl_zero_range");
        assertThat(dump.get("file_extents")).isEqualTo(io.nbd4j.plugins.file.linux.Linux.isAvailable() ? "yes" : "no");
        assertThat(dump.get("file_probe")).contains("extents=");
    }

    @Test
    void badParametersAreConfigErrorsNamingTheParameter() throws Exception {
        Path disk = sparseFile("disk.img", 4096);
        assertThatThrownBy(() -> configured()).isInstanceOf(ConfigException.class).hasMessageContaining("file=").hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured("file=" + disk, "dir=" + tmp)).isInstanceOf(ConfigException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> configured("file=" + disk, "file=" + disk)).isInstanceOf(ConfigException.class).hasMessageContaining("file=");
        assertThatThrownBy(() -> configured("file=" + disk, "cache=sometimes")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache").hasMessageContaining("none");
        assertThatThrownBy(() -> configured("file=" + disk, "fadvise=fast")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fadvise").hasMessageContaining("sequential");
        assertThatThrownBy(() -> configured("dir=" + tmp, "symlinks=always")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("symlinks").hasMessageContaining("inside");
        assertThatThrownBy(() -> configured("file=" + tmp.resolve("missing"))).isInstanceOf(ConfigException.class).hasMessageContaining("file=");
        assertThatThrownBy(() -> configured("file=" + tmp)).isInstanceOf(ConfigException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> configured("dir=" + disk)).isInstanceOf(ConfigException.class).hasMessageContaining("dir=");
        assertThatThrownBy(() -> configured("file=")).isInstanceOf(ConfigException.class).hasMessageContaining("file=");
    }

    @Test
    void concurrentWritersOnSeveralConnectionsEachKeepTheirOwnRegions() throws Exception {
        Path disk = sparseFile("disk.img", 8 * MIB);
        FilePlugin plugin = configured("file=" + disk);
        int writers = 4;
        Handle[] handles = new Handle[writers];
        for (int i = 0; i < writers; i++) {
            handles[i] = plugin.open(open(""));
        }
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                results.add(executor.submit(() -> {
                    for (int round = 0; round < 32; round++) {
                        long offset = (long) (round * writers + id) * 65536;
                        handles[id].pwrite(ByteBuffer.wrap(filled(65536, id + 1)), offset, round % 8 == 0 ? Flags.FUA : 0);
                    }
                    return null;
                }));
            }
            for (var r : results) {
                r.get();
            }
        }
        handles[0].flush(0);
        for (int slot = 0; slot < 32 * writers; slot++) {
            assertThat(read(handles[slot % writers], (long) slot * 65536, 65536)).isEqualTo(filled(65536, slot % writers + 1));
        }
        for (Handle h : handles) {
            h.close();
        }
        assertThat(plugin.openFileCount()).isZero();
    }
}
