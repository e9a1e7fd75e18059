package io.nbd4j.filters.stats;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdError;
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
        return Layers.configured(new StatsFilter(), keyValues);
    }

    /** One server run: two writes, a read, a flush on each of two connections, and a failed flush. */
    private static void serve(String... parameters) throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = ServedStack.of(disk, new StatsFilter()).config(parameters).start()) {
            NbdClient a = served.connect();
            NbdClient b = served.connect();
            a.pwrite(new byte[8], 0);
            b.pwrite(new byte[8], 8);
            a.pread(8, 8);
            a.flush();
            b.flush();
            disk.failNext("flush", 1, NbdError.EIO);
            assertThatThrownBy(b::flush).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void theFileIsWrittenAtUnloadWithOneLinePerOperationThatRan() throws Exception {
        Path file = dir.resolve("stats.txt");
        serve("statsfile=" + file);

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
        serve("statsfile=" + file, "statsappend=true");
        serve("statsfile=" + file, "statsappend=true");
        assertThat(Files.readString(file).lines().filter(l -> l.startsWith("total:"))).hasSize(2);

        serve("statsfile=" + file);
        assertThat(Files.readString(file).lines().filter(l -> l.startsWith("total:"))).hasSize(1);
    }

    @Test
    void aZeroThresholdLeavesTheBreakdownOut() throws Exception {
        Path file = dir.resolve("stats.txt");
        serve("statsfile=" + file, "statsthreshold=0");
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
