package io.nbd4j.filters.multiconn;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.nbd4j.filters.multiconn.DirtyTracking.CONNECTION;
import static io.nbd4j.filters.multiconn.DirtyTracking.FAST;
import static io.nbd4j.filters.multiconn.DirtyTracking.OFF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** How many flushes reach the plugin for fixed client patterns, per mode and tracking level. */
class FlushCountTest {
    /** A client pattern over three connections a, b, c. */
    enum Pattern {
        /** a writes, b reads, then the client flushes a, b and c (as a client without multi-conn would). */
        WRITER_READER_IDLE_FLUSH_EACH,
        /** a and b write, then the client flushes a and b. */
        TWO_WRITERS_FLUSH_EACH,
        /** nothing is written; the client flushes a twice. */
        CLEAN_FLUSH_TWICE,
        /** c reads, a writes, b (which did nothing) flushes, c reads again and flushes: the interop pattern. */
        READER_WRITER_BYSTANDER_FLUSHES,
        /** c reads, a writes with FUA, c flushes. */
        READER_FUA_WRITER_READER_FLUSHES;

        void run(List<FakeConnection> c) throws Exception {
            switch (this) {
                case WRITER_READER_IDLE_FLUSH_EACH -> {
                    c.get(0).write(1, 1);
                    c.get(1).read(1);
                    c.get(0).flush();
                    c.get(1).flush();
                    c.get(2).flush();
                }
                case TWO_WRITERS_FLUSH_EACH -> {
                    c.get(0).write(1, 1);
                    c.get(1).write(2, 2);
                    c.get(0).flush();
                    c.get(1).flush();
                }
                case CLEAN_FLUSH_TWICE -> {
                    c.get(0).flush();
                    c.get(0).flush();
                }
                case READER_WRITER_BYSTANDER_FLUSHES -> {
                    c.get(2).read(1);
                    c.get(0).write(1, 1);
                    c.get(1).flush();
                    c.get(2).read(1);
                    c.get(2).flush();
                }
                case READER_FUA_WRITER_READER_FLUSHES -> {
                    c.get(2).read(1);
                    c.get(0).write(1, 1, true);
                    c.get(2).flush();
                }
            }
        }
    }

    static Stream<Arguments> expectations() {
        List<Arguments> rows = new ArrayList<>();
        // mode, tracking, pattern, plugin flushes (over a plugin without multi-conn)
        rows.add(Arguments.of("emulate", CONNECTION, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 2));
        rows.add(Arguments.of("emulate", FAST, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 3));
        rows.add(Arguments.of("emulate", OFF, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 9));
        rows.add(Arguments.of("emulate", CONNECTION, Pattern.TWO_WRITERS_FLUSH_EACH, 2));
        rows.add(Arguments.of("emulate", FAST, Pattern.TWO_WRITERS_FLUSH_EACH, 3));
        rows.add(Arguments.of("emulate", OFF, Pattern.TWO_WRITERS_FLUSH_EACH, 6));
        rows.add(Arguments.of("emulate", CONNECTION, Pattern.CLEAN_FLUSH_TWICE, 0));
        rows.add(Arguments.of("emulate", FAST, Pattern.CLEAN_FLUSH_TWICE, 0));
        rows.add(Arguments.of("emulate", OFF, Pattern.CLEAN_FLUSH_TWICE, 6));
        rows.add(Arguments.of("emulate", CONNECTION, Pattern.READER_WRITER_BYSTANDER_FLUSHES, 2));
        // Only the flushing connection is flushed. As in nbdkit, with connection tracking a flush goes down
        // whenever the group is dirty, and over a plugin without multi-conn nothing but a write ever changes
        // that, so once anything was written every flush reaches the plugin.
        for (String own : List.of("plugin", "unsafe", "disable")) {
            rows.add(Arguments.of(own, CONNECTION, Pattern.READER_WRITER_BYSTANDER_FLUSHES, 2));
            rows.add(Arguments.of(own, FAST, Pattern.READER_WRITER_BYSTANDER_FLUSHES, 1));
            rows.add(Arguments.of(own, OFF, Pattern.READER_WRITER_BYSTANDER_FLUSHES, 2));
            // nbdkit records nothing for a FUA write here and would skip the reader's flush (0): we do not.
            rows.add(Arguments.of(own, CONNECTION, Pattern.READER_FUA_WRITER_READER_FLUSHES, 1));
            rows.add(Arguments.of(own, FAST, Pattern.READER_FUA_WRITER_READER_FLUSHES, 1));
            rows.add(Arguments.of(own, CONNECTION, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 3));
            rows.add(Arguments.of(own, FAST, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 1));
            rows.add(Arguments.of(own, OFF, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 3));
            rows.add(Arguments.of(own, CONNECTION, Pattern.TWO_WRITERS_FLUSH_EACH, 2));
            rows.add(Arguments.of(own, FAST, Pattern.TWO_WRITERS_FLUSH_EACH, 1));
            rows.add(Arguments.of(own, OFF, Pattern.TWO_WRITERS_FLUSH_EACH, 2));
            rows.add(Arguments.of(own, CONNECTION, Pattern.CLEAN_FLUSH_TWICE, 0));
            rows.add(Arguments.of(own, FAST, Pattern.CLEAN_FLUSH_TWICE, 0));
            rows.add(Arguments.of(own, OFF, Pattern.CLEAN_FLUSH_TWICE, 2));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("expectations")
    void pluginFlushCountMatchesTheTrackingLevel(String mode, DirtyTracking tracking, Pattern pattern,
                                                 long expected) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(Fixtures.filter(mode, tracking), plugin)) {
            pattern.run(List.of(server.connect(), server.connect(), server.connect()));
            assertThat(plugin.flushes()).isEqualTo(expected);
        }
    }

    static Stream<Arguments> consistentPlugin() {
        return Stream.of(
                Arguments.of(CONNECTION, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 1),
                Arguments.of(CONNECTION, Pattern.TWO_WRITERS_FLUSH_EACH, 1),
                Arguments.of(FAST, Pattern.TWO_WRITERS_FLUSH_EACH, 1),
                Arguments.of(OFF, Pattern.TWO_WRITERS_FLUSH_EACH, 2),
                Arguments.of(CONNECTION, Pattern.CLEAN_FLUSH_TWICE, 0),
                Arguments.of(CONNECTION, Pattern.READER_WRITER_BYSTANDER_FLUSHES, 1));
    }

    static Stream<Arguments> emulatedOverAConsistentPlugin() {
        // As over a plugin without multi-conn, and as nbdkit: emulate replays whatever the plugin promises.
        return Stream.of(
                Arguments.of(CONNECTION, Pattern.TWO_WRITERS_FLUSH_EACH, 2),
                Arguments.of(CONNECTION, Pattern.WRITER_READER_IDLE_FLUSH_EACH, 2),
                Arguments.of(FAST, Pattern.TWO_WRITERS_FLUSH_EACH, 3),
                Arguments.of(OFF, Pattern.TWO_WRITERS_FLUSH_EACH, 6),
                Arguments.of(CONNECTION, Pattern.CLEAN_FLUSH_TWICE, 0),
                Arguments.of(OFF, Pattern.CLEAN_FLUSH_TWICE, 6));
    }

    @ParameterizedTest(name = "emulate {0} {1} -> {2}")
    @MethodSource("emulatedOverAConsistentPlugin")
    void emulationOverAMultiConnPluginReplaysAsOverAnyPlugin(DirtyTracking tracking, Pattern pattern,
                                                            long expected) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        try (FakeServer server = new FakeServer(Fixtures.filter("emulate", tracking), plugin)) {
            List<FakeConnection> c = List.of(server.connect(), server.connect(), server.connect());
            pattern.run(c);
            assertThat(plugin.flushes()).isEqualTo(expected);
            for (FakeConnection each : c) {
                assertThat(each.read(1)).isEqualTo(pattern == Pattern.CLEAN_FLUSH_TWICE ? 0 : 1);
            }
        }
    }

    @Test
    void aFailedFlushOverAMultiConnPluginLeavesTheWritesUnpublished() throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        try (FakeServer server = new FakeServer(Fixtures.filter("plugin", CONNECTION), plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            a.write(1, 1);
            b.plugin().failNextFlushes(1);

            Throwable failure = catchThrowable(b::flush);
            assertThat(failure).isInstanceOf(NbdException.class);
            assertThat(((NbdException) failure).error()).isEqualTo(NbdError.ENOSPC);
            b.flush();
            assertThat(plugin.flushes()).isEqualTo(1);
            b.flush();
            assertThat(plugin.flushes()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "plugin {0} {1} -> {2}")
    @MethodSource("consistentPlugin")
    void pluginModeOverAMultiConnPluginSkipsFlushesOnceAnyFlushRan(DirtyTracking tracking, Pattern pattern,
                                                                   long expected) throws Exception {
        StaleCachePlugin plugin = new StaleCachePlugin().consistent(true);
        try (FakeServer server = new FakeServer(Fixtures.filter("plugin", tracking), plugin)) {
            pattern.run(List.of(server.connect(), server.connect(), server.connect()));
            assertThat(plugin.flushes()).isEqualTo(expected);
        }
    }
}
