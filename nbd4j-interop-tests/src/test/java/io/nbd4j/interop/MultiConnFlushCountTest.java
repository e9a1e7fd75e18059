package io.nbd4j.interop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many flushes the multi-conn filter sends down for each {@code multi-conn-mode} and
 * {@code multi-conn-track-dirty} level, counted by the stats filter placed directly below it (stats writes
 * its file when the server exits, which captive mode waits for). The client pattern is sequential (one
 * command at a time over three connections), so there is nothing to coalesce: both servers must send exactly
 * the flushes nbdkit's documented rules give, and the read shows whether the data was made consistent.
 * nbd4j sends fewer flushes only when flushes overlap in time, which these patterns never do. Emulation
 * replays as nbdkit does even over a layer that is multi-conn consistent itself (the cache filter here).
 */
class MultiConnFlushCountTest {
    @TempDir
    Path dir;

    private StaleCachePlugin plugin;
    private Path statsFile;

    @BeforeEach
    void install() {
        plugin = StaleCachePlugin.installIn(dir);
        statsFile = dir.resolve("stats.txt");
    }

    /**
     * One row: the stack and what the pattern of {@link #readerWriterFlusherSteps()} must cost and show.
     *
     * @param mode            multi-conn-mode
     * @param track           multi-conn-track-dirty
     * @param withCache       whether the cache filter (writeback, one cache shared by all connections, which
     *                        therefore advertises multi-conn) sits between stats and the plugin
     * @param flushes         flushes the multi-conn filter sends down, on either server
     * @param secondRead      what connection 3 reads back after the flush on connection 2
     */
    record Row(String mode, String track, boolean withCache, long flushes, char secondRead) {
        @Override
        public String toString() {
            return mode + "/" + track + (withCache ? "/cache" : "");
        }
    }

    /*
     * Why these numbers (nbdkit 1.32's rules, observed identically): connection 3 reads (cached), 1 writes,
     * 2 flushes, 3 reads again, 3 flushes.
     * emulate: connection — flush 1 (wrote) and 3 (read while the group was dirty): 2, then 3's flush finds
     *   everything clean: 0; fast — every connection on each dirty flush: 3 + 0; off — every connection on
     *   every flush: 3 + 3.
     * plugin, unsafe, disable (only the flushing connection is ever flushed): connection — 2 flushes its own
     *   connection; a plugin without multi-conn leaves the group dirty, so 3's flush goes down too: 2. Under
     *   the cache filter (multi-conn) one flush cleans the group and 3's is skipped: 1. fast — 2's flush cleans
     *   the group: 1. off — both: 2.
     * auto is emulate for the bare plugin and plugin mode under the cache filter, which advertises multi-conn.
     */
    static Stream<Row> rows() {
        return Stream.of(
                new Row("emulate", "connection", false, 2, 'A'),
                new Row("emulate", "fast", false, 3, 'A'),
                new Row("emulate", "off", false, 6, 'A'),
                new Row("plugin", "connection", false, 2, '0'),
                new Row("plugin", "fast", false, 1, '0'),
                new Row("plugin", "off", false, 2, '0'),
                new Row("unsafe", "connection", false, 2, '0'),
                new Row("unsafe", "fast", false, 1, '0'),
                new Row("unsafe", "off", false, 2, '0'),
                new Row("disable", "connection", false, 2, '0'),
                new Row("disable", "fast", false, 1, '0'),
                new Row("disable", "off", false, 2, '0'),
                new Row("auto", "connection", false, 2, 'A'),
                new Row("auto", "fast", false, 3, 'A'),
                new Row("auto", "off", false, 6, 'A'),
                // Under the cache filter every write lands in the shared cache, so every read sees A;
                // emulate still replays as over the bare plugin.
                new Row("emulate", "connection", true, 2, 'A'),
                new Row("emulate", "fast", true, 3, 'A'),
                new Row("emulate", "off", true, 6, 'A'),
                new Row("plugin", "connection", true, 1, 'A'),
                new Row("plugin", "fast", true, 1, 'A'),
                new Row("plugin", "off", true, 2, 'A'),
                new Row("unsafe", "connection", true, 1, 'A'),
                new Row("unsafe", "fast", true, 1, 'A'),
                new Row("unsafe", "off", true, 2, 'A'),
                new Row("disable", "connection", true, 1, 'A'),
                new Row("disable", "fast", true, 1, 'A'),
                new Row("disable", "off", true, 2, 'A'),
                new Row("auto", "connection", true, 1, 'A'),
                new Row("auto", "fast", true, 1, 'A'),
                new Row("auto", "off", true, 2, 'A'));
    }

    static Stream<Arguments> serversAndRows() {
        return Server.selected().flatMap(server -> rows().map(row -> Arguments.of(server, row)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serversAndRows")
    void flushesSentDownMatchTheModeAndDirtyTracking(Server server, Row row) {
        List<String> words = new ArrayList<>(List.of("--filter=multi-conn", "--filter=stats"));
        if (row.withCache()) {
            words.add("--filter=cache");
        }
        words.addAll(List.of("multi-conn-mode=" + row.mode(), "multi-conn-track-dirty=" + row.track(),
                "statsfile=" + statsFile));

        List<String> out = plugin.run(server, words, readerWriterFlusherSteps());

        assertThat(out).containsExactly("3:r:0=0", "3:r:0=" + row.secondRead());
        assertThat(StatsFile.flushOps(statsFile)).as(row + " flushes").isEqualTo(row.flushes());
    }

    /** With nothing cached on the reader before the flush, connection tracking flushes the writer alone. */
    @ServerTest
    void connectionTrackingFlushesOnlyConnectionsThatWroteOrMayHoldStaleReads(Server server) {
        ConnectionSteps steps = new ConnectionSteps().open(1, 2, 3)
                .write(1, 0, 'A').flush(2)
                .read(3, 0).flush(3);

        List<String> out = plugin.run(server, statsBelowMultiConn("multi-conn-mode=emulate"), steps);

        assertThat(out).containsExactly("3:r:0=A");
        assertThat(StatsFile.flushOps(statsFile)).isEqualTo(1);
    }

    /**
     * With one client at a time there is nothing to keep consistent: auto mode must not advertise multi-conn,
     * and so passes a FUA write down as it is instead of emulating it with a write and a flush.
     */
    @ServerTest
    void autoModeDisablesItselfWhenConnectionsAreSerialized(Server server) {
        List<String> words = new ArrayList<>(List.of("--filter=noparallel", "serialize=connections"));
        words.addAll(statsBelowMultiConn());

        List<String> out = plugin.run(server, words, fuaWriteOnOneConnection());

        assertThat(out).containsExactly("1:mc=False", "1:r:0=F");
        assertThat(StatsFile.writeOps(statsFile)).isEqualTo(1);
        assertThat(StatsFile.flushOps(statsFile)).isZero();
    }

    /** The counterpart of the test above: with parallel connections auto emulates, turning FUA into a flush. */
    @ServerTest
    void autoModeEmulatesFuaWithAFlushWhenConnectionsRunInParallel(Server server) {
        List<String> out = plugin.run(server, statsBelowMultiConn(), fuaWriteOnOneConnection());

        assertThat(out).containsExactly("1:mc=True", "1:r:0=F");
        assertThat(StatsFile.writeOps(statsFile)).isEqualTo(1);
        assertThat(StatsFile.flushOps(statsFile)).isEqualTo(1);
    }

    /** Connection 3 caches block 0, 1 writes it, 2 flushes, 3 reads it again and flushes. */
    private static ConnectionSteps readerWriterFlusherSteps() {
        return new ConnectionSteps().open(1, 2, 3)
                .read(3, 0)
                .write(1, 0, 'A').flush(2)
                .read(3, 0).flush(3);
    }

    private static ConnectionSteps fuaWriteOnOneConnection() {
        return new ConnectionSteps().open(1).multiConn(1).fuaWrite(1, 0, 'F').read(1, 0);
    }

    private List<String> statsBelowMultiConn(String... parameters) {
        List<String> words = new ArrayList<>(List.of("--filter=multi-conn", "--filter=stats",
                "statsfile=" + statsFile));
        words.addAll(List.of(parameters));
        return words;
    }
}
