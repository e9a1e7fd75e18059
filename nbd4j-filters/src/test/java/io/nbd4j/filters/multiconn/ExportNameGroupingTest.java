package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Two exports, two connections each: which connections a flush on export a reaches. */
class ExportNameGroupingTest {
    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void byExportNameAFlushNeverReachesAnotherExport(DirtyTracking tracking) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(
                Fixtures.filter("emulate", tracking, "multi-conn-exportname=true"), plugin)) {
            FakeConnection a1 = server.connect("a");
            FakeConnection a2 = server.connect("a");
            FakeConnection b1 = server.connect("b");
            FakeConnection b2 = server.connect("b");
            assertThat(a2.read(1)).isZero();
            assertThat(b2.read(1)).isZero();
            a1.write(1, 100);
            b1.write(1, 200);

            a2.flush();

            assertThat(a2.read(1)).isEqualTo(100);
            assertThat(b1.plugin().flushes() + b2.plugin().flushes()).isZero();
            assertThat(b1.plugin().hasDirtyBlocks()).isTrue();
            assertThat(b2.read(1)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DirtyTracking.class)
    void withoutExportNameGroupingAFlushReachesEveryExport(DirtyTracking tracking) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", tracking), plugin)) {
            FakeConnection a1 = server.connect("a");
            FakeConnection a2 = server.connect("a");
            FakeConnection b1 = server.connect("b");
            FakeConnection b2 = server.connect("b");
            assertThat(a2.read(1)).isZero();
            assertThat(b2.read(1)).isZero();
            a1.write(1, 100);
            b1.write(1, 200);

            a2.flush();

            assertThat(a2.read(1)).isEqualTo(100);
            assertThat(b2.read(1)).isEqualTo(200);
            assertThat(b1.plugin().flushes()).isEqualTo(1);
            assertThat(plugin.stored("b", 1)).isEqualTo(200);
        }
    }
}
