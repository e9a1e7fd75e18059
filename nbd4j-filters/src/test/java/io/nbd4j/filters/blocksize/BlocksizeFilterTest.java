package io.nbd4j.filters.blocksize;

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
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlocksizeFilterTest {
    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** Every call below is aligned to {@code block}; reads, writes and caches are at most {@code maxData}, the rest at most {@code maxLen}. */
    static void assertEveryCallAligned(ScriptedPlugin disk, long block, long maxData, long maxLen) {
        for (String call : disk.calls()) {
            if (call.equals("flush")) {
                continue;
            }
            String[] range = call.split(" ")[1].split("\\+");
            long offset = Long.parseLong(range[0]);
            long length = Long.parseLong(range[1]);
            assertThat(offset % block).as(call).isZero();
            assertThat(length % block).as(call).isZero();
            assertThat(length).as(call).isLessThanOrEqualTo(call.startsWith("p") || call.startsWith("cache") ? maxData : maxLen);
        }
    }

    @Test
    void smallRequestsBecomeWholeBlocksBelowAndTinyTrimsAndZeroesNeedNoTrimOrZeroBelow() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(10 << 20);
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter())
                .config("minblock=1024", "maxdata=512k", "maxlen=1M").start();
             NbdClient client = served.connect()) {
            client.pread(1, 1);
            client.pwrite(filled(1, 5), 10001);
            client.zero(1, 20001, 0);
            client.trim(1, 30001, 0);
        }
        assertThat(disk.calls()).containsExactly("pread 0+1024", "pread 9216+1024", "pwrite 9216+1024",
                "pread 19456+1024", "pwrite 19456+1024");
    }

    @Test
    void largeUnalignedRequestsAreSplitIntoAlignedPiecesAndTheBytesComeOutAsWithoutTheFilter() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(10 << 20);
        byte[] data = new byte[4094305];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter())
                .config("minblock=1024", "maxdata=512k", "maxlen=1M").start();
             NbdClient client = served.connect()) {
            client.pwrite(data, 1048575);
            client.zero(1100000, 1050000, 0);
            client.trim(2097153, 7340031, 0);

            byte[] expected = new byte[10 << 20];
            System.arraycopy(data, 0, expected, 1048575, data.length);
            Arrays.fill(expected, 1050000, 2150000, (byte) 0);
            assertThat(client.pread(3000000, 1048577)).isEqualTo(Arrays.copyOfRange(expected, 3000000, 4048577));
            assertThat(disk.read(0, 7340031)).isEqualTo(Arrays.copyOf(expected, 7340031));
        }
        assertEveryCallAligned(disk, 1024, 512 << 10, 1 << 20);
        assertThat(disk.calls()).contains("zero 1050624+1048576 may_trim", "trim 7340032+1048576", "trim 8388608+1048576");
    }

    @Test
    void theLayerBelowsBlockSizeSetsTheLimitsAndTheSizeIsCutToWholeBlocks() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(2 * 1024 * 1024 - 1024 + 700).blockSize(new BlockSize(1024, 128 * 1024, 512 * 1024));
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(2 * 1024 * 1024 - 1024);
            assertThat(client.exportInfo().blockSizes()).contains(new BlockSizes(1, 128 * 1024, 0xffff_ffffL));
            client.pread(1, 1024 * 1024 + 1);
        }
        assertThat(disk.calls()).containsExactly("pread 0+1024", "pread 1024+524288", "pread 525312+523264",
                "pread 1048576+1024");
    }

    @Test
    void aFastZeroThatNeedsMoreThanOneCallBelowFailsAtOnce() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter()).config("minblock=4k", "maxlen=64k").start();
             NbdClient client = served.connect()) {
            for (long[] r : new long[][] {{4096, 100}, {5000, 4096}, {128 << 10, 0}}) {
                assertThatThrownBy(() -> client.zero(r[0], r[1], CommandFlags.FAST_ZERO))
                        .isInstanceOfSatisfying(NbdClientException.class,
                                e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP.wireValue()));
            }
            client.zero(64 << 10, 4096, CommandFlags.FAST_ZERO);
        }
        assertThat(disk.calls()).containsExactly("zero 4096+65536 may_trim fast");
    }

    @Test
    void fuaTheLayerBelowEmulatesBecomesOneFlushAfterAllThePieces() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fua(FuaMode.EMULATE);
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter()).config("minblock=512", "maxdata=1k").start();
             NbdClient client = served.connect()) {
            client.pwrite(ByteBuffer.wrap(filled(100 + 2048 + 50, 1)), 412, CommandFlags.FUA);
        }
        assertThat(disk.calls()).containsExactly("pread 0+512", "pwrite 0+512", "pwrite 512+1024", "pwrite 1536+1024",
                "pread 2560+512", "pwrite 2560+512", "flush");
    }

    @Test
    void extentsAreAskedForWholeBlocksAndABlockIsAHoleOnlyIfAllOfItIs() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(64 << 10).fill(0, filled(100, 1)).fill(16384 + 10, filled(1, 1));
        try (ServedStack served = ServedStack.of(disk, new BlocksizeFilter()).config("minblock=8k", "maxlen=32k").start();
             NbdClient client = served.connect()) {
            assertThat(client.blockStatus(64 << 10, 0, 0)).containsExactly(new Extent(0, 8192, 0), new Extent(8192, 8192, 3),
                    new Extent(16384, 8192, 0), new Extent(24576, 8192, 3));
            assertThat(client.blockStatus(1, 8193, 0)).containsExactly(new Extent(8193, 8191, 3));
        }
        assertEveryCallAligned(disk, 8192, 0, 32 << 10);
    }

    @Test
    void aWholeBlockWriteWaitsForAReadModifyWriteOfThatBlockSoNeitherUndoesTheOther() throws Exception {
        GatedDisk disk = new GatedDisk(64);
        try (FakeServer server = new FakeServer(Layers.configured(new BlocksizeFilter(), "minblock=16"), disk)) {
            Handle rmwSide = server.connect().top();
            Handle wholeSide = server.connect().top();
            GatedDisk.Gate gate = disk.gateRead(0);
            Thread rmw = Concurrently.start(() -> rmwSide.pwrite(ByteBuffer.wrap(filled(12, 3)), 4, 0));
            gate.awaitEntered();
            Thread whole = Concurrently.start(() -> wholeSide.pwrite(ByteBuffer.wrap(filled(16, 4)), 0, 0));

            assertThat(GatedDisk.awaitBlockedOrDone(whole)).as("the whole-block write waited").isTrue();
            gate.open();
            Concurrently.join(rmw, whole);
            assertThat(Arrays.copyOf(disk.content(), 16)).isEqualTo(filled(16, 4));
        }
    }

    @Test
    void aWholeBlockReadOfOnePieceMayBeSentFromTheMemoryOfTheLayerBelowAndNoOtherRead() throws Exception {
        ByteBuffer memory = ByteBuffer.allocate(1 << 20);
        memory.put(8192, (byte) 7);
        Next below = new Next() {
            @Override public long size() { return 1 << 20; }
            @Override public void pread(ByteBuffer buffer, long offset, int flags) { buffer.put(memory.slice((int) offset, buffer.remaining())); }
            @Override public ByteBuffer readView(long offset, int length) { return memory.slice((int) offset, length); }
        };
        BlocksizeFilter filter = Layers.configured(new BlocksizeFilter(), "minblock=4K", "maxdata=64K");
        Handle handle = filter.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false), r -> below);
        handle.prepare(false);

        assertThat(handle.readView(8192, 4096).get(0)).isEqualTo((byte) 7);
        assertThat(handle.readView(8192, 64 << 10)).isNotNull();
        assertThat(handle.readView(8193, 4096)).as("unaligned start").isNull();
        assertThat(handle.readView(8192, 4095)).as("unaligned length").isNull();
        assertThat(handle.readView(0, 128 << 10)).as("more than maxdata: read in pieces").isNull();
    }

    @Test
    void badLimitsAreRefusedAtStartNamingTheRule() {
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "minblock=3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power of 2");
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "minblock=128k"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("64K");
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "minblock=4k", "maxdata=6000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multiple of minblock");
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "minblock=4k", "maxlen=6000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multiple of minblock");
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "maxlen=0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1 to 4294967295");
        assertThatThrownBy(() -> Layers.configured(new BlocksizeFilter(), "maxdata=8G"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("out of range");
    }
}
