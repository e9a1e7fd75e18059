package io.nbd4j.plugins.sparserandom;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparseRandomPluginTest {
    record Run(long offset, long length, int type) {}

    private static Handle open(String... keyValues) throws Exception {
        SparseRandomPlugin plugin = new SparseRandomPlugin();
        for (String kv : keyValues) {
            plugin.config(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    private static List<Run> map(Handle h) throws Exception {
        List<Run> runs = new ArrayList<>();
        h.extents(h.size(), 0, 0, (o, l, t) -> runs.add(new Run(o, l, t)));
        return runs;
    }

    private static byte[] read(Handle h, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void dataMakesAboutTheAskedShareOfTheDiskInWholeBlocks() throws Exception {
        Handle h = open("size=4G", "seed=3", "percent=25", "runlength=1M");
        long data = 0;
        for (Run r : map(h)) {
            assertThat(r.offset() % 4096).isZero();
            if (r.type() == Extents.DATA) {
                data += r.length();
            }
        }
        assertThat((double) data / h.size()).isBetween(0.20, 0.30);
    }

    @Test
    void extentsAgreeWithTheBytes() throws Exception {
        Handle h = open("size=64M", "seed=11", "percent=50", "runlength=64K");
        for (Run r : map(h).subList(0, 20)) {
            byte[] head = read(h, r.offset(), 4096);
            if (r.type() == Extents.DATA) {
                assertThat(head).doesNotContain(0).containsOnly(head[0]);
            } else {
                assertThat(r.type()).isEqualTo(Extents.HOLE | Extents.ZERO);
                assertThat(head).containsOnly(0);
            }
        }
    }

    @Test
    void randomContentFillsBlocksWithVaryingBytes() throws Exception {
        Handle h = open("size=64M", "seed=11", "percent=50", "runlength=64K", "random-content=true");
        Run data = map(h).stream().filter(r -> r.type() == Extents.DATA).findFirst().orElseThrow();
        byte[] block = read(h, data.offset(), 4096);
        assertThat(block).contains(block[0]).matches(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).chars().distinct().count() > 100);
    }

    @Test
    void copyingTheDiskOntoItselfSucceedsAndAChangeFails() throws Exception {
        Handle h = open("size=16M", "seed=5", "percent=50", "runlength=64K");
        for (long offset = 0; offset < h.size(); offset += 1 << 20) {
            h.pwrite(ByteBuffer.wrap(read(h, offset, 1 << 20)), offset, 0);
        }
        Run data = map(h).stream().filter(r -> r.type() == Extents.DATA).findFirst().orElseThrow();
        byte[] changed = read(h, data.offset(), 512);
        changed[100]++;
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(changed), data.offset(), 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO));
    }

    @Test
    void zeroAndTrimSucceedOnHolesOnly() throws Exception {
        Handle h = open("size=16M", "seed=5", "percent=50", "runlength=64K");
        List<Run> runs = map(h);
        Run hole = runs.stream().filter(r -> r.type() != Extents.DATA).findFirst().orElseThrow();
        Run data = runs.stream().filter(r -> r.type() == Extents.DATA).findFirst().orElseThrow();
        h.zero(hole.length(), hole.offset(), 0);
        h.trim(hole.length(), hole.offset(), 0);
        assertThatThrownBy(() -> h.zero(1, data.offset(), 0)).isInstanceOf(NbdException.class);
        assertThatThrownBy(() -> h.trim(hole.length() + 1, hole.offset(), 0)).isInstanceOf(NbdException.class);
    }

    @Test
    void reqOneGivesOneExtent() throws Exception {
        Handle h = open("size=16M", "seed=5", "percent=50", "runlength=64K");
        List<Run> runs = new ArrayList<>();
        h.extents(h.size(), 0, Flags.REQ_ONE, (o, l, t) -> runs.add(new Run(o, l, t)));
        assertThat(runs).hasSize(1);
    }

    @Test
    void percentZeroIsAllHoleAndHundredAllData() throws Exception {
        assertThat(map(open("size=1G", "percent=0"))).containsExactly(new Run(0, 1L << 30, Extents.HOLE | Extents.ZERO));
        assertThat(map(open("size=1000000", "percent=100"))).containsExactly(new Run(0, 1000000, Extents.DATA));
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> open("size=1M", "percent=101")).isInstanceOf(ConfigException.class).hasMessageStartingWith("percent:");
        assertThatThrownBy(() -> open("size=1M", "runlength=0")).isInstanceOf(ConfigException.class).hasMessageStartingWith("runlength:");
        assertThatThrownBy(() -> open("size=1E", "runlength=4096")).isInstanceOf(ConfigException.class).hasMessageContaining("runlength");
    }
}
