package io.nbd4j.filters.cache;

import io.nbd4j.filters.testkit.CountingMemoryPlugin;
import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheFilterTest {
    private static final int SIZE = 256 * 1024;
    private static final int BLOCK = 64 * 1024;

    private CountingMemoryPlugin plugin;
    private CacheFilter filter;
    private FakeServer server;

    private FakeServer serve(FuaMode pluginFua, String... keyValues) throws ConfigException {
        filter = new CacheFilter();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            filter.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        filter.configComplete();
        plugin = new CountingMemoryPlugin(SIZE, pluginFua);
        server = new FakeServer(filter, plugin);
        return server;
    }

    private FakeServer serve(String... keyValues) throws ConfigException {
        return serve(FuaMode.NATIVE, keyValues);
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
            filter.unload();
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    private static void write(Handle h, long offset, byte[] bytes, int flags) throws IOException {
        h.pwrite(ByteBuffer.wrap(bytes), offset, flags);
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void writebackKeepsWritesUntilAFlushWritesThemBack() throws Exception {
        Handle h = serve().connect().top();
        write(h, 100, pattern(5000, 1), 0);
        assertThat(read(h, 100, 5000)).isEqualTo(pattern(5000, 1));
        assertThat(plugin.writes.sum()).isZero();
        assertThat(plugin.at(100)).isZero();

        h.flush(0);

        assertThat(plugin.at(100)).isEqualTo(pattern(1, 1)[0]);
        assertThat(plugin.durable(5099)).isEqualTo(pattern(5000, 1)[4999]);
        assertThat(plugin.writes.sum()).isEqualTo(1);
        assertThat(plugin.flushes.sum()).isEqualTo(1);
    }

    @Test
    void writebackFlushOnAnyConnectionWritesBackEveryConnectionsBlocks() throws Exception {
        FakeServer s = serve();
        FakeConnection a = s.connect();
        FakeConnection b = s.connect();
        assertThat(a.top().canMultiConn()).isTrue();
        write(a.top(), 0, pattern(BLOCK, 2), 0);
        write(b.top(), 3L * BLOCK, pattern(10, 3), 0);
        assertThat(read(b.top(), 0, 16)).isEqualTo(Arrays.copyOf(pattern(BLOCK, 2), 16));

        b.top().flush(0);

        assertThat(plugin.durable(0)).isEqualTo(pattern(1, 2)[0]);
        assertThat(plugin.durable(3L * BLOCK + 9)).isEqualTo(pattern(10, 3)[9]);
        assertThat(plugin.writes.sum()).isEqualTo(2);
    }

    @Test
    void partialBlockWritesAcrossABoundaryReadBackExactly() throws Exception {
        Handle h = serve().connect().top();
        byte[] before = pattern(SIZE, 9);
        write(h, 0, before, 0);
        h.flush(0);
        byte[] patch = pattern(300, 77);
        write(h, BLOCK - 100, patch, 0);

        byte[] expected = before.clone();
        System.arraycopy(patch, 0, expected, BLOCK - 100, patch.length);
        assertThat(read(h, BLOCK - 1000, 2000)).isEqualTo(Arrays.copyOfRange(expected, BLOCK - 1000, BLOCK + 1000));
        h.flush(0);
        assertThat(plugin.durable(BLOCK + 199)).isEqualTo(patch[299]);
        assertThat(plugin.durable(BLOCK + 200)).isEqualTo(before[BLOCK + 200]);
    }

    /** The SPI does not say whether pread moves the buffer's position; the sh plugin leaves it alone. */
    @Test
    void partialBlockWritesWorkOverAPluginWhosePreadKeepsThePosition() throws Exception {
        Handle h = serve("cache-on-read=true").connect().top();
        plugin.preadKeepsPosition = true;
        byte[] before = pattern(SIZE, 5);
        plugin.open(null).pwrite(ByteBuffer.wrap(before), 0, 0);
        byte[] patch = pattern(4096, 41);
        write(h, 0, patch, 0);

        byte[] expected = Arrays.copyOfRange(before, 0, 2 * BLOCK);
        System.arraycopy(patch, 0, expected, 0, patch.length);
        assertThat(read(h, 0, 2 * BLOCK)).isEqualTo(expected);
        h.flush(0);
        assertThat(plugin.durable(4095)).isEqualTo(patch[4095]);
        assertThat(plugin.durable(4096)).isEqualTo(before[4096]);
    }

    @Test
    void writethroughWritesBelowBeforeAcknowledging() throws Exception {
        Handle h = serve("cache=writethrough").connect().top();
        assertThat(h.canMultiConn()).isFalse();
        write(h, 10, pattern(20, 4), 0);
        assertThat(plugin.at(29)).isEqualTo(pattern(20, 4)[19]);
        assertThat(plugin.flushes.sum()).isZero();
        h.flush(0);
        assertThat(plugin.flushes.sum()).isEqualTo(1);
        int readsBefore = plugin.reads.intValue();
        assertThat(read(h, 10, 20)).isEqualTo(pattern(20, 4));
        assertThat(plugin.reads.intValue()).isEqualTo(readsBefore);
    }

    @Test
    void unsafeIgnoresFlushAndFua() throws Exception {
        Handle h = serve("cache=unsafe").connect().top();
        assertThat(h.canFlush()).isTrue();
        assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
        assertThat(h.canMultiConn()).isTrue();
        write(h, 0, pattern(10, 5), Flags.FUA);
        h.flush(0);
        assertThat(plugin.writes.sum()).isZero();
        assertThat(plugin.flushes.sum()).isZero();
        assertThat(read(h, 0, 10)).isEqualTo(pattern(10, 5));
    }

    @Test
    void fuaInWritebackGoesThroughToThePlugin() throws Exception {
        Handle h = serve().connect().top();
        write(h, 0, pattern(10, 6), Flags.FUA);
        assertThat(plugin.fuaWrites.sum()).isEqualTo(1);
        assertThat(plugin.durable(9)).isEqualTo(pattern(10, 6)[9]);
    }

    @Test
    void fuaOverAPluginWithoutNativeFuaIsFollowedByAFlush() throws Exception {
        Handle h = serve(FuaMode.EMULATE).connect().top();
        assertThat(h.canFua()).isEqualTo(FuaMode.NATIVE);
        write(h, 0, pattern(10, 6), Flags.FUA);
        assertThat(plugin.fuaWrites.sum()).isZero();
        assertThat(plugin.flushes.sum()).isEqualTo(1);
        assertThat(plugin.durable(9)).isEqualTo(pattern(10, 6)[9]);
    }

    @Test
    void withoutCacheOnReadEveryReadReachesThePlugin() throws Exception {
        Handle h = serve().connect().top();
        read(h, 0, 100);
        read(h, 0, 100);
        assertThat(plugin.reads.sum()).isEqualTo(2);
    }

    @Test
    void cacheOnReadServesRepeatedReadsFromTheCache() throws Exception {
        Handle h = serve("cache-on-read=true").connect().top();
        read(h, 0, 100);
        read(h, 50, 100);
        read(h, 0, BLOCK);
        assertThat(plugin.reads.sum()).isEqualTo(1);
    }

    @Test
    void cacheOnReadWithAPathCachesOnlyWhileThePathExists(@TempDir Path dir) throws Exception {
        Path flag = dir.resolve("cache-now");
        Handle h = serve("cache-on-read=" + flag).connect().top();
        read(h, 0, 100);
        read(h, 0, 100);
        assertThat(plugin.reads.sum()).isEqualTo(2);
        Files.createFile(flag);
        read(h, 0, 100);
        read(h, 0, 100);
        assertThat(plugin.reads.sum()).isEqualTo(3);
    }

    @Test
    void cacheCommandLoadsBlocksSoLaterReadsStayInTheFilter() throws Exception {
        Handle h = serve().connect().top();
        assertThat(h.canCache()).isEqualTo(io.nbd4j.spi.CacheMode.NATIVE);
        h.cache(2L * BLOCK, 0, 0);
        long afterCache = plugin.reads.sum();
        read(h, 10, 2 * BLOCK - 20);
        assertThat(plugin.reads.sum()).isEqualTo(afterCache);
    }

    @Test
    void zeroWritesZeroesAndFastZeroFailsAtOnce() throws Exception {
        Handle h = serve().connect().top();
        write(h, 0, pattern(1000, 8), 0);
        h.zero(500, 100, 0);
        byte[] got = read(h, 0, 1000);
        assertThat(Arrays.copyOfRange(got, 100, 600)).containsOnly(0);
        assertThat(got[99]).isEqualTo(pattern(1000, 8)[99]);
        assertThatThrownBy(() -> h.zero(100, 0, Flags.FAST_ZERO))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP));
    }

    @Test
    void dirtyBlocksAreNeverReportedAsHoles() throws Exception {
        Handle h = serve().connect().top();
        write(h, BLOCK + 10, pattern(10, 1), 0);
        List<long[]> extents = new ArrayList<>();
        Extents sink = (o, l, t) -> extents.add(new long[] {o, l, t});
        h.extents(SIZE, 0, 0, sink);
        for (long[] e : extents) {
            boolean inDirtyBlock = e[0] >= BLOCK && e[0] < 2L * BLOCK;
            assertThat(e[2]).as("extent at %d", e[0]).isEqualTo(inDirtyBlock ? Extents.DATA : Extents.HOLE | Extents.ZERO);
        }
    }

    @Test
    void aBlockThatFailsToWriteBackStaysDirtyAndTheOthersAreWritten() throws Exception {
        Handle h = serve().connect().top();
        write(h, 0, pattern(10, 1), 0);
        write(h, 2L * BLOCK, pattern(10, 2), 0);
        plugin.failNextWrites(1);
        assertThatThrownBy(() -> h.flush(0)).isInstanceOf(NbdException.class).hasMessageContaining("1 dirty block");
        assertThat(plugin.durable(2L * BLOCK)).isEqualTo(pattern(1, 2)[0]);
        assertThat(plugin.durable(0)).isZero();
        h.flush(0);
        assertThat(plugin.durable(0)).isEqualTo(pattern(1, 1)[0]);
    }

    @Test
    void parametersAreCheckedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> new CacheFilter().config("cache", "sometimes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("writeback, writethrough, unsafe");
        assertThatThrownBy(() -> new CacheFilter().config("cache-block-size", "3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power of 2");
        assertThatThrownBy(() -> new CacheFilter().config("cache-max-size", "1023K"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("too small");
        assertThatThrownBy(() -> new CacheFilter().config("cache-high-threshold", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> new CacheFilter().config("cache-low-threshold", "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache-low-threshold");
        assertThatThrownBy(() -> new CacheFilter().config("cache-on-read", "perhaps"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cache-on-read");
    }

    @Test
    void theLowThresholdMustBeBelowTheHighOneInWhateverOrderTheyCome() throws Exception {
        CacheFilter f = new CacheFilter();
        f.config("cache-low-threshold", "90");
        f.config("cache-max-size", "1M");
        f.config("cache-high-threshold", "90");
        assertThatThrownBy(f::configComplete).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache-low-threshold (90) must be less than cache-high-threshold (90)");
        f.config("cache-high-threshold", "150");
        f.configComplete();
    }

    @Test
    void aSizeLimitKeepsMultiConnOnlyOverAMultiConnPlugin() throws Exception {
        for (String mode : List.of("writeback", "writethrough", "unsafe")) {
            for (boolean pluginMultiConn : List.of(false, true)) {
                for (boolean limited : List.of(false, true)) {
                    boolean expected = switch (mode) {
                        case "writethrough" -> pluginMultiConn;
                        case "writeback" -> !limited || pluginMultiConn;
                        default -> !limited;
                    };
                    FakeServer s = limited ? serve("cache=" + mode, "cache-max-size=1M") : serve("cache=" + mode);
                    plugin.multiConn = pluginMultiConn;
                    assertThat(s.connect().top().canMultiConn())
                            .as("%s, plugin multi-conn %s, limited %s", mode, pluginMultiConn, limited)
                            .isEqualTo(expected);
                    stop();
                    server = null;
                }
            }
        }
    }

    @Test
    void aSmallerBlockSizeSplitsWritesIntoSmallerWriteBacks() throws Exception {
        Handle h = serve("cache-block-size=4k").connect().top();
        write(h, 0, pattern(3 * 4096, 1), 0);
        h.flush(0);
        assertThat(plugin.writes.sum()).isEqualTo(3);
    }
}
