package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.cache.CacheFilter;
import io.nbd4j.filters.cache.TestCaches;
import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StackedPlugin;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-conn filter over a cache filter with {@code cache-max-size}, which drops blocks and reads them
 * again through whichever connection asks: the cache is multi-conn consistent only over a multi-conn plugin,
 * and the multi-conn filter follows its answer. The cache here holds a single block (the whole disk), so it
 * drops it after nearly every request.
 */
class OverSizeLimitedCacheTest {
    private final CacheFilter cache = TestCaches.writebackHolding(4096, 1);
    private FakeServer server;

    private FakeConnection[] connect(String mode, StaleCachePlugin plugin) throws Exception {
        server = new FakeServer(Fixtures.filter(mode, DirtyTracking.CONNECTION), new StackedPlugin(cache, plugin));
        return new FakeConnection[] {server.connect(), server.connect(), server.connect()};
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        cache.unload();
    }

    @Test
    void overACachingPluginAutoEmulatesSoAFlushAnywhereRefreshesAStaleReader() throws Exception {
        FakeConnection[] c = connect("auto", new StaleCachePlugin());
        assertThat(c[0].multiConn()).isTrue();
        assertThat(c[0].read(1)).isZero();
        c[1].write(1, 7);
        c[2].flush();
        assertThat(c[0].read(1)).isEqualTo(7);
    }

    /**
     * Connection 0 holds an old copy of the disk in the plugin's cache. If the cache dropped connection 1's
     * dirty block by writing it back, connection 0's next write would read the block back from that old
     * copy and write it back whole, undoing connection 1's write; a full cache over such a plugin must keep
     * its dirty blocks until a flush.
     */
    @Test
    void overACachingPluginDirtyBlocksStayUntilAFlushSoAStaleCopyBelowCannotUndoAWrite() throws Exception {
        FakeConnection[] c = connect("emulate", new StaleCachePlugin());
        assertThat(c[0].read(1)).isZero();
        c[1].write(1, 7);
        c[0].write(0, 5);
        c[2].flush();
        assertThat(c[2].read(1)).isEqualTo(7);
        assertThat(c[2].read(0)).isEqualTo(5);
    }

    @Test
    void overAMultiConnPluginTheCacheStaysConsistentAndAutoReplaysNothing() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        FakeConnection[] c = connect("auto", plugin);
        assertThat(c[0].read(1)).isZero();
        c[1].write(1, 7);
        long flushesBefore = plugin.flushes();
        c[2].flush();
        assertThat(plugin.flushes() - flushesBefore).isEqualTo(1);
        assertThat(c[0].read(1)).isEqualTo(7);
    }
}
