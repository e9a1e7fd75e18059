package io.nbd4j.interop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code multi-conn-exportname}: with it off, every connection is in one group and a flush on any export is
 * replayed on all of them; with it on, connections are grouped by export name and a flush on export
 * {@code a} costs export {@code b}'s connections nothing. The stale-cache plugin serves exports {@code a} and
 * {@code b} from separate disks, so the grouping shows both in the flushes counted below the filter and in
 * whether {@code b}'s unflushed write reached its disk. Emulate mode, connection tracking, one command at a
 * time: exact on both servers.
 */
class MultiConnExportNameTest {
    @TempDir
    Path dir;

    private StaleCachePlugin plugin;
    private Path statsFile;

    @BeforeEach
    void install() {
        plugin = StaleCachePlugin.installIn(dir);
        statsFile = dir.resolve("stats.txt");
    }

    @ServerTest
    void withoutGroupingAFlushOnOneExportFlushesTheOtherExportsConnectionsToo(Server server) {
        List<String> out = plugin.run(server, stack("multi-conn-exportname=false"), flushOnlyExportA());

        assertThat(out).containsExactly("2:r:0=0", "4:r:0=0", "2:r:0=A", "4:r:0=B", "5:r:0=B");
        assertThat(StatsFile.flushOps(statsFile)).as("connections 1 to 4 flushed").isEqualTo(4);
    }

    @ServerTest
    void withGroupingAFlushOnOneExportLeavesTheOtherExportsConnectionsAlone(Server server) {
        List<String> out = plugin.run(server, stack("multi-conn-exportname=true"), flushOnlyExportA());

        assertThat(out).as("b was never flushed, so its write is still in connection 3's cache")
                .containsExactly("2:r:0=0", "4:r:0=0", "2:r:0=A", "4:r:0=0", "5:r:0=0");
        assertThat(StatsFile.flushOps(statsFile)).as("connections 1 and 2 flushed").isEqualTo(2);
    }

    /** Grouping must still replay within the group; the alias spelling of the knob is accepted too. */
    @ServerTest
    void withGroupingAFlushOnAnExportIsReplayedOnThatExportsConnections(Server server) {
        ConnectionSteps steps = flushOnlyExportA().flush(3).read(4, 0).read(5, 0);

        List<String> out = plugin.run(server, stack("multi-conn-export-name=true"), steps);

        assertThat(out).containsExactly("2:r:0=0", "4:r:0=0", "2:r:0=A", "4:r:0=0", "5:r:0=0", "4:r:0=B", "5:r:0=B");
        assertThat(StatsFile.flushOps(statsFile)).as("2 for a, then 3, 4 and 5 for b").isEqualTo(5);
    }

    /**
     * Connections 1 and 2 on export a, 3 and 4 on b; 2 and 4 cache block 0; 1 and 3 write it; only 1
     * flushes; 2 and 4 read again, and a new connection 5 on b reads what b's disk holds.
     */
    private static ConnectionSteps flushOnlyExportA() {
        return new ConnectionSteps()
                .open(1, "a").open(2, "a").open(3, "b").open(4, "b")
                .read(2, 0).read(4, 0)
                .write(1, 0, 'A').write(3, 0, 'B')
                .flush(1)
                .read(2, 0).read(4, 0)
                .open(5, "b").read(5, 0);
    }

    private List<String> stack(String grouping) {
        return List.of("--filter=multi-conn", "--filter=stats", "multi-conn-mode=emulate", grouping,
                "statsfile=" + statsFile, "exports=a,b");
    }
}
