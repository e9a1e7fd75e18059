package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each mode advertises and whether a flush on one connection publishes the others' writes. */
class MultiConnModesTest {
    private static final int BLOCK = 3;

    /** Reader caches the block, writer writes and flushes; returns what the reader sees afterwards. */
    private static long readerAfterWriterFlushes(FakeServer server) throws Exception {
        FakeConnection reader = server.connect();
        FakeConnection writer = server.connect();
        assertThat(reader.read(BLOCK)).isZero();
        writer.write(BLOCK, 42);
        writer.flush();
        return reader.read(BLOCK);
    }

    @Test
    void withoutTheFilterAFlushOnOneConnectionLeavesOthersStale() throws Exception {
        try (FakeServer server = new FakeServer(null, new StaleCachePlugin())) {
            assertThat(readerAfterWriterFlushes(server)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void pluginModeOverAPluginWithoutMultiConnNeitherAdvertisesNorPublishes(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("plugin", tracking), new StaleCachePlugin())) {
            assertThat(server.connect().multiConn()).isFalse();
            assertThat(readerAfterWriterFlushes(server)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void emulateFlushOnAnyConnectionPublishesEveryAcknowledgedWrite(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", tracking), new StaleCachePlugin())) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            FakeConnection c = server.connect();
            assertThat(a.multiConn()).isTrue();
            assertThat(a.read(1)).isZero();
            assertThat(b.read(2)).isZero();
            a.write(2, 20);
            b.write(1, 10);
            c.flush();
            for (FakeConnection x : new FakeConnection[] {a, b, c}) {
                assertThat(x.read(1)).isEqualTo(10);
                assertThat(x.read(2)).isEqualTo(20);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void emulateFuaWriteIsVisibleAtOnceOnOtherConnections(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", tracking),
                new StaleCachePlugin().fua(FuaMode.NATIVE))) {
            FakeConnection reader = server.connect();
            FakeConnection writer = server.connect();
            assertThat(writer.top().canFua()).isEqualTo(FuaMode.EMULATE);
            assertThat(reader.read(BLOCK)).isZero();
            writer.write(BLOCK, 7, true);
            assertThat(reader.read(BLOCK)).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void emulateTurnsAFuaFlagFromAboveIntoWriteAndGroupFlush(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", tracking), new StaleCachePlugin())) {
            FakeConnection reader = server.connect();
            FakeConnection writer = server.connect();
            assertThat(reader.read(BLOCK)).isZero();
            writer.top().pwrite(java.nio.ByteBuffer.allocate(8).putLong(0, 9), BLOCK * 8L, io.nbd4j.spi.Flags.FUA);
            assertThat(reader.read(BLOCK)).isEqualTo(9);
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void unsafeAdvertisesMultiConnButDoesNotReplayFlushes(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("unsafe", tracking), new StaleCachePlugin())) {
            assertThat(server.connect().multiConn()).isTrue();
            assertThat(readerAfterWriterFlushes(server)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void disableHidesMultiConnEvenOfAConsistentPlugin(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("disable", tracking),
                new StaleCachePlugin().consistent(true))) {
            assertThat(server.connect().multiConn()).isFalse();
        }
        try (FakeServer server = new FakeServer(Fixtures.filter("disable", tracking), new StaleCachePlugin())) {
            assertThat(readerAfterWriterFlushes(server)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void autoIsDisableUnderSerializeConnections(DirtyTracking tracking) throws Exception {
        MultiConnFilter filter = Fixtures.filter("auto", tracking);
        try (FakeServer server = new FakeServer(filter, new StaleCachePlugin(), ThreadModel.SERIALIZE_CONNECTIONS)) {
            assertThat(server.connect().multiConn()).isFalse();
            assertThat(readerAfterWriterFlushes(server)).isZero();
        }
        try (FakeServer server = new FakeServer(Fixtures.filter("auto", tracking),
                new StaleCachePlugin().consistent(true), ThreadModel.SERIALIZE_CONNECTIONS)) {
            assertThat(server.connect().multiConn()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void autoEmulatesOverAPluginWithoutMultiConn(DirtyTracking tracking) throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("auto", tracking), new StaleCachePlugin())) {
            assertThat(server.connect().multiConn()).isTrue();
            assertThat(readerAfterWriterFlushes(server)).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void autoPassesThroughAMultiConnPlugin(DirtyTracking tracking) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        try (FakeServer server = new FakeServer(Fixtures.filter("auto", tracking), plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            assertThat(a.multiConn()).isTrue();
            assertThat(a.top().canFua()).isEqualTo(FuaMode.NATIVE);
            a.write(1, 5);
            b.flush();
            assertThat(plugin.flushes()).isEqualTo(1);
            assertThat(plugin.connections().get(0).flushes()).isZero();
        }
    }

    @Test
    void emulateRefusesConnectionsWhenThePluginCannotFlush() throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("multi-conn-mode=emulate"),
                new StaleCachePlugin().canFlush(false))) {
            assertThatThrownBy(server::connect)
                    .isInstanceOf(NbdException.class)
                    .hasMessageContaining("flush")
                    .hasMessageContaining("multi-conn-mode=emulate");
        }
    }

    @Test
    void otherModesServeAPluginThatCannotFlush() throws Exception {
        try (FakeServer server = new FakeServer(Fixtures.filter("multi-conn-mode=plugin"),
                new StaleCachePlugin().canFlush(false))) {
            assertThat(server.connect().multiConn()).isFalse();
        }
    }

    @Test
    void probesDoNotJoinGroupsAndGroupsLiveFromFirstToLastMember() throws Exception {
        MultiConnFilter filter = Fixtures.filter("multi-conn-mode=emulate", "multi-conn-exportname=true");
        try (FakeServer server = new FakeServer(filter, new StaleCachePlugin())) {
            FakeConnection probe = server.connect("a", true);
            assertThat(probe.multiConn()).isTrue();
            assertThat(filter.groups().count()).isZero();
            FakeConnection a1 = server.connect("a");
            FakeConnection a2 = server.connect("a");
            FakeConnection b1 = server.connect("b");
            assertThat(filter.groups().count()).isEqualTo(2);
            b1.disconnect();
            assertThat(filter.groups().count()).isEqualTo(1);
            a1.disconnect();
            assertThat(filter.groups().count()).isEqualTo(1);
            a2.drop();
            assertThat(filter.groups().count()).isZero();
            probe.disconnect();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void flushOnCloseFlushesAConnectionThatEndsWithUnflushedWrites(DirtyTracking tracking) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(
                Fixtures.filter("emulate", tracking, "multi-conn-flush-on-close=true"), plugin)) {
            FakeConnection writer = server.connect();
            FakeConnection idle = server.connect();
            writer.write(BLOCK, 11);
            writer.disconnect();
            idle.disconnect();
            assertThat(plugin.stored("", BLOCK)).isEqualTo(11);
            assertThat(plugin.flushes()).isEqualTo(1);
        }
    }

    @Test
    void withoutFlushOnCloseUnflushedWritesStayInTheConnectionCache() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("multi-conn-mode=emulate"), plugin)) {
            FakeConnection writer = server.connect();
            writer.write(BLOCK, 11);
            writer.disconnect();
            assertThat(plugin.stored("", BLOCK)).isZero();
            assertThat(plugin.flushes()).isZero();
        }
    }
}
