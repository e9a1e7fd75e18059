package io.nbd4j.filters.stats;

import io.nbd4j.filters.testkit.FakeConnection;
import io.nbd4j.filters.testkit.FakeServer;
import io.nbd4j.filters.testkit.StaleCachePlugin;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsFilterTest {
    @TempDir
    Path dir;

    private static StatsFilter configured(String... keyValues) throws ConfigException {
        StatsFilter f = new StatsFilter();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            f.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        f.configComplete();
        return f;
    }

    /** One server run: two writes, a read, a flush on each of two connections, and a failed flush. */
    private void serve(StatsFilter filter) throws Exception {
        filter.getReady(ThreadModel.PARALLEL);
        StaleCachePlugin plugin = new StaleCachePlugin();
        try (FakeServer server = new FakeServer(filter, plugin)) {
            FakeConnection a = server.connect();
            FakeConnection b = server.connect();
            a.write(0, 1);
            b.write(1, 2);
            a.read(1);
            a.flush();
            b.flush();
            b.plugin().failNextFlushes(1);
            assertThatThrownBy(b::flush).isInstanceOf(java.io.IOException.class);
        }
        filter.unload();
    }

    @Test
    void theFileIsWrittenAtUnloadWithOneLinePerOperationThatRan() throws Exception {
        Path file = dir.resolve("stats.txt");
        StatsFilter filter = configured("statsfile=" + file);
        serve(filter);

        String text = Files.readString(file);
        assertThat(text).startsWith("total: 5 ops, ");
        assertThat(text.lines().filter(l -> l.matches("^\\w+: .*"))).extracting(l -> l.substring(0, l.indexOf(" ops")))
                .containsExactly("total: 5", "read: 1", "write: 2", "flush: 2");
        assertThat(text).containsPattern("(?m)^flush: 2 ops, \\d+\\.\\d{6} s, 0 bytes, [^ ]+ [^ ]+/s op, 0 bytes/s total$");
        assertThat(text).containsPattern("(?m)^write: 2 ops, \\d+\\.\\d{6} s, 16 bytes, ");
    }

    @Test
    void statsappendKeepsEarlierRuns() throws Exception {
        Path file = dir.resolve("stats.txt");
        serve(configured("statsfile=" + file, "statsappend=true"));
        serve(configured("statsfile=" + file, "statsappend=true"));
        assertThat(Files.readString(file).lines().filter(l -> l.startsWith("total:"))).hasSize(2);

        serve(configured("statsfile=" + file));
        assertThat(Files.readString(file).lines().filter(l -> l.startsWith("total:"))).hasSize(1);
    }

    @Test
    void aZeroThresholdLeavesTheBreakdownOut() throws Exception {
        Path file = dir.resolve("stats.txt");
        serve(configured("statsfile=" + file, "statsthreshold=0"));
        assertThat(Files.readString(file)).contains("write: 2 ops").doesNotContain("breakdown");
    }

    @Test
    void aRelativeStatsfileIsMadeAbsolute() throws Exception {
        StatsFilter f = configured("statsfile=relative.txt");
        assertThat(f).extracting("file").isEqualTo(Path.of("relative.txt").toAbsolutePath());
    }

    @Test
    void statsfileIsRequired() {
        assertThatThrownBy(StatsFilterTest::configured)
                .isInstanceOf(ConfigException.class).hasMessageContaining("statsfile");
    }

    @Test
    void aThresholdOutside0To100IsRejected() {
        assertThatThrownBy(() -> configured("statsfile=x", "statsthreshold=101"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("statsthreshold").hasMessageContaining("0 to 100");
        assertThatThrownBy(() -> configured("statsfile=x", "statsthreshold=lots"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("statsthreshold");
    }

    @Test
    void anUnwritablePathFailsBeforeServing() throws Exception {
        StatsFilter f = configured("statsfile=" + dir.resolve("missing/dir/stats.txt"));
        assertThatThrownBy(() -> f.getReady(ThreadModel.PARALLEL)).isInstanceOf(java.io.IOException.class);
    }
}
