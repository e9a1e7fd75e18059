package io.nbd4j.filters.cache;

import io.nbd4j.filters.testkit.CountingMemoryPlugin;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cache-max-size}: which blocks a full cache drops, and what it does with dirty ones. */
class CacheReclaimTest {
    private static final int BLOCK = 4096;
    private static final int SIZE = 16 * BLOCK;

    private final CountingMemoryPlugin plugin = new CountingMemoryPlugin(SIZE, FuaMode.NATIVE);
    private CacheFilter filter;
    private FakeServer server;

    /** A cache of 4 KiB blocks that starts dropping at {@code high} blocks and stops below {@code low}. */
    private Handle serve(WriteMode mode, boolean cacheOnRead, int high, int low) throws IOException {
        // Thresholds as percentages of a limit of 100 blocks, so that each percent is one block.
        filter = new CacheFilter(new CacheSettings(mode, BLOCK, () -> cacheOnRead,
                new CacheLimit(100L * BLOCK, high, low)));
        server = new FakeServer(filter, plugin);
        return server.connect().top();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
            filter.unload();
        }
    }

    private LimitedResidency residency() {
        return (LimitedResidency) filter.cacheOf("").residency();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] read(Handle h, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    private long readsOfBlock(Handle h, int block) throws IOException {
        long before = plugin.reads.sum();
        read(h, (long) block * BLOCK, 10);
        return plugin.reads.sum() - before;
    }

    @Test
    void fromTheHighThresholdBlocksAreDroppedUntilTheCacheIsBelowTheLowOne() throws Exception {
        Handle h = serve(WriteMode.WRITEBACK, true, 4, 2);
        int[] heldAfterEachRead = new int[8];
        for (int b = 0; b < heldAfterEachRead.length; b++) {
            read(h, (long) b * BLOCK, 10);
            heldAfterEachRead[b] = residency().held();
        }
        // Up to the high threshold (4), then two blocks dropped per block taken in while at or above the low
        // one (2), then nothing dropped until the high threshold is reached again.
        assertThat(heldAfterEachRead).containsExactly(1, 2, 3, 2, 1, 1, 2, 3);
        assertThat(residency().slots()).as("the file never held more than 4 blocks").isEqualTo(4);
    }

    @Test
    void aBlockUsedAgainOutlivesOnesThatWereNot() throws Exception {
        Handle h = serve(WriteMode.WRITEBACK, true, 3, 2);
        read(h, 0, 10);
        read(h, BLOCK, 10);
        read(h, 0, 10);
        read(h, 2L * BLOCK, 10);

        assertThat(residency().held()).isEqualTo(1);
        assertThat(readsOfBlock(h, 0)).as("block 0, used twice, is still cached").isZero();
        assertThat(readsOfBlock(h, 1)).as("block 1 was dropped").isEqualTo(1);
    }

    @Test
    void overAMultiConnPluginADroppedDirtyBlockIsWrittenBackAndFlushedFirst() throws Exception {
        plugin.multiConn = true;
        Handle h = serve(WriteMode.WRITEBACK, false, 2, 1);
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 1)), 0, 0);
        assertThat(plugin.writes.sum()).isZero();
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 2)), BLOCK, 0);

        assertThat(residency().held()).isZero();
        assertThat(plugin.writes.sum()).isEqualTo(2);
        assertThat(plugin.durable(0)).isEqualTo((byte) 1);
        assertThat(plugin.durable(BLOCK)).isEqualTo((byte) 2);
        assertThat(read(h, 0, 2 * BLOCK)).isEqualTo(concat(filled(BLOCK, 1), filled(BLOCK, 2)));
    }

    @Test
    void overAPluginWithoutMultiConnDirtyBlocksStayUntilAFlush() throws Exception {
        Handle h = serve(WriteMode.WRITEBACK, false, 2, 1);
        for (int b = 0; b < 4; b++) {
            h.pwrite(ByteBuffer.wrap(filled(BLOCK, b + 1)), (long) b * BLOCK, 0);
        }
        assertThat(residency().held()).isEqualTo(4);
        assertThat(plugin.writes.sum()).isZero();

        h.flush(0);
        assertThat(plugin.durable(3L * BLOCK)).isEqualTo((byte) 4);
        read(h, 15L * BLOCK, 10);
        assertThat(residency().held()).as("clean now, so they may go").isLessThan(4);
    }

    @Test
    void unsafeModeWritesADroppedDirtyBlockBackWithoutAFlush() throws Exception {
        Handle h = serve(WriteMode.UNSAFE, false, 2, 1);
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 1)), 0, 0);
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 2)), BLOCK, 0);

        assertThat(plugin.at(0)).isEqualTo((byte) 1);
        assertThat(plugin.flushes.sum()).isZero();
    }

    @Test
    void aDirtyBlockWhoseWriteBackFailsStaysAndTheNextFlushWritesIt() throws Exception {
        plugin.multiConn = true;
        Handle h = serve(WriteMode.WRITEBACK, false, 2, 1);
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 1)), 0, 0);
        plugin.failNextWrites(1);
        h.pwrite(ByteBuffer.wrap(filled(BLOCK, 2)), BLOCK, 0);

        assertThat(residency().held()).isEqualTo(2);
        assertThat(read(h, 0, BLOCK)).isEqualTo(filled(BLOCK, 1));
        h.flush(0);
        assertThat(plugin.durable(0)).isEqualTo((byte) 1);
        assertThat(plugin.durable(BLOCK)).isEqualTo((byte) 2);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
