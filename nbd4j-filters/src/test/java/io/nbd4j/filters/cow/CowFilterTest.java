package io.nbd4j.filters.cow;

import io.nbd4j.client.BlockSizes;
import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Concurrently;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.GatedDisk;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CowFilterTest {
    private static final int BLOCK = 64 * 1024;

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void writesLandInTheOverlayAndTheLayerBelowIsOpenedReadOnlyAndNeverWritten() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 * BLOCK).fill(0, filled(4 * BLOCK, 7));
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start(); NbdClient client = served.connect()) {
            client.pwrite(filled(100, 1), BLOCK + 10);
            client.zero(BLOCK, 2 * BLOCK, 0);
            client.trim(BLOCK, 3 * BLOCK, 0);
            client.flush();

            byte[] expected = filled(4 * BLOCK, 7);
            Arrays.fill(expected, BLOCK + 10, BLOCK + 110, (byte) 1);
            Arrays.fill(expected, 2 * BLOCK, 4 * BLOCK, (byte) 0);
            assertThat(client.pread(0, 4 * BLOCK)).isEqualTo(expected);
        }
        assertThat(disk.events()).contains("open export= readonly");
        assertThat(disk.calls()).allMatch(c -> c.startsWith("pread") || c.startsWith("extents"));
        assertThat(disk.read(0, 4 * BLOCK)).isEqualTo(filled(4 * BLOCK, 7));
    }

    @Test
    void everyConnectionSeesTheOneOverlayAndMultiConnIsAdvertised() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(BLOCK).canWrite(false).multiConn(false);
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start();
             NbdClient first = served.connect(); NbdClient second = served.connect()) {
            first.pwrite(filled(512, 9), 512);

            assertThat(second.pread(512, 512)).isEqualTo(filled(512, 9));
            assertThat(second.canMultiConn()).isTrue();
            assertThat(second.isReadOnly()).isFalse();
            assertThat(second.canTrim() && second.canZero() && second.canFlush() && second.canFua()
                    && second.canCache() && second.canFastZero()).isTrue();
        }
    }

    @Test
    void aWriteOfPartOfABlockKeepsTheRestOfItFromTheLayerBelow() throws Exception {
        byte[] below = new byte[2 * BLOCK];
        for (int i = 0; i < below.length; i++) {
            below[i] = (byte) (i * 31);
        }
        ScriptedPlugin disk = new ScriptedPlugin(2 * BLOCK).fill(0, below);
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start(); NbdClient client = served.connect()) {
            client.pwrite(filled(10, 0x55), BLOCK - 5);

            byte[] expected = below.clone();
            Arrays.fill(expected, BLOCK - 5, BLOCK + 5, (byte) 0x55);
            assertThat(client.pread(0, 2 * BLOCK)).isEqualTo(expected);
        }
    }

    @Test
    void aWholeBlockWriteWaitsForAPartialWriteThatIsReadingTheSameBlockFromBelow() throws Exception {
        GatedDisk disk = new GatedDisk(8192);
        CowFilter filter = Layers.configured(new CowFilter(), "cow-block-size=4096");
        try (FakeServer server = new FakeServer(filter, disk)) {
            Handle partialSide = server.connect().top();
            Handle wholeSide = server.connect().top();
            GatedDisk.Gate gate = disk.gateRead(0);
            Thread partial = Concurrently.start(() -> partialSide.pwrite(ByteBuffer.wrap(filled(10, 3)), 4, 0));
            gate.awaitEntered();
            Thread whole = Concurrently.start(() -> wholeSide.pwrite(ByteBuffer.wrap(filled(4096, 4)), 0, 0));

            assertThat(GatedDisk.awaitBlockedOrDone(whole)).as("the whole-block write waited").isTrue();
            gate.open();
            Concurrently.join(partial, whole);
            ByteBuffer got = ByteBuffer.allocate(4096);
            partialSide.pread(got, 0, 0);
            assertThat(got.array()).isEqualTo(filled(4096, 4));
        } finally {
            filter.unload();
        }
    }

    @Test
    void aDiskWhoseSizeIsNoMultipleOfTheBlockSizeIsServedToItsLastByte() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(130000);
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start(); NbdClient client = served.connect()) {
            byte[] data = new byte[130000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) "abcdefghijklm".charAt(i % 13);
            }
            client.pwrite(data, 0);
            assertThat(client.pread(0, 130000)).isEqualTo(data);
            client.pwrite(filled(3, 1), 129997);
            assertThat(client.pread(129990, 10)).endsWith(1, 1, 1);
        }
    }

    @Test
    void withCowOnReadEachBlockIsFetchedFromBelowOnce() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 * BLOCK).fill(0, filled(4 * BLOCK, 3));
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).config("cow-on-read=true").start();
             NbdClient client = served.connect()) {
            client.pread(100, 2 * BLOCK);
            client.pread(0, 3 * BLOCK);
            client.pwrite(filled(1, 4), 5);

            assertThat(client.pread(0, 8)).containsExactly(3, 3, 3, 3, 3, 4, 3, 3);
        }
        assertThat(disk.calls()).containsExactly("pread 0+196608");
    }

    @Test
    void cowOnReadWithAPathKeepsBlocksOnlyWhileTheFileExists(@TempDir Path dir) throws Exception {
        Path toggle = dir.resolve("keep");
        ScriptedPlugin disk = new ScriptedPlugin(2 * BLOCK);
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).config("cow-on-read=" + toggle).start();
             NbdClient client = served.connect()) {
            client.pread(0, BLOCK);
            client.pread(0, BLOCK);
            Files.createFile(toggle);
            client.pread(BLOCK, BLOCK);
            client.pread(BLOCK, BLOCK);
        }
        assertThat(disk.calls()).containsExactly("pread 0+65536", "pread 0+65536", "pread 65536+65536");
    }

    @Test
    void cacheRequestsPassBelowUnlessCowOnCacheKeepsTheBlocks() throws Exception {
        ScriptedPlugin plain = new ScriptedPlugin(2 * BLOCK).cache(CacheMode.NATIVE);
        try (ServedStack served = ServedStack.of(plain, new CowFilter()).start(); NbdClient client = served.connect()) {
            client.pwrite(filled(BLOCK, 1), 0);
            client.cache(100, 10);
            client.cache(100, BLOCK + 10);
        }
        assertThat(plain.calls()).containsExactly("cache 65536+65536");

        ScriptedPlugin kept = new ScriptedPlugin(2 * BLOCK).cache(CacheMode.NONE);
        try (ServedStack served = ServedStack.of(kept, new CowFilter()).config("cow-on-cache=true").start();
             NbdClient client = served.connect()) {
            client.cache(100, BLOCK + 10);
            client.pread(BLOCK, BLOCK);
        }
        assertThat(kept.calls()).containsExactly("pread 65536+65536");
    }

    @Test
    void extentsShowOverlayBlocksByStateAndAbsentOnesAsTheLayerBelowReportsThem() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(6 * BLOCK).fill(0, filled(BLOCK, 1));
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start(); NbdClient client = served.connect()) {
            client.trim(BLOCK, 0, 0);
            client.zero(BLOCK, 2 * BLOCK, CommandFlags.NO_HOLE);
            client.zero(BLOCK, 3 * BLOCK, 0);
            client.pwrite(filled(1, 1), 4 * BLOCK + 1);

            List<Extent> extents = client.blockStatus(6 * BLOCK, 0, 0);
            assertThat(extents).containsExactly(
                    new Extent(0, 2 * BLOCK, 3),
                    new Extent(2 * BLOCK, BLOCK, 2),
                    new Extent(3 * BLOCK, BLOCK, 3),
                    new Extent(4 * BLOCK, BLOCK, 0),
                    new Extent(5 * BLOCK, BLOCK, 3));
            assertThat(client.pread(0, 4 * BLOCK)).isEqualTo(new byte[4 * BLOCK]);
        }
    }

    @Test
    void aFastZeroIsRefusedAtOnceSinceZeroingIsWriting() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(BLOCK);
        try (ServedStack served = ServedStack.of(disk, new CowFilter()).start(); NbdClient client = served.connect()) {
            assertThatThrownBy(() -> client.zero(512, 0, CommandFlags.FAST_ZERO))
                    .isInstanceOfSatisfying(NbdClientException.class,
                            e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP.wireValue()));
        }
    }

    @Test
    void theOverlayBlockSizeBecomesThePreferredBlockSize() throws Exception {
        ScriptedPlugin none = new ScriptedPlugin(BLOCK);
        try (ServedStack served = ServedStack.of(none, new CowFilter()).config("cow-block-size=128K").start();
             NbdClient client = served.connect()) {
            assertThat(client.exportInfo().blockSizes()).contains(new BlockSizes(1, 128 * 1024, 0xffff_ffffL));
        }
        ScriptedPlugin constrained = new ScriptedPlugin(BLOCK).blockSize(new BlockSize(512, 4096, 1 << 20));
        try (ServedStack served = ServedStack.of(constrained, new CowFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.exportInfo().blockSizes()).contains(new BlockSizes(512, BLOCK, 1 << 20));
        }
    }

    @Test
    void aBlockSizeThatIsNoPowerOfTwoOrTooSmallIsRefusedAtStart() {
        assertThatThrownBy(() -> Layers.configured(new CowFilter(), "cow-block-size=3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power of 2 from 4K");
        assertThatThrownBy(() -> Layers.configured(new CowFilter(), "cow-block-size=2K"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Layers.configured(new CowFilter(), "cow-on-read=maybe"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("true/false");
    }
}
