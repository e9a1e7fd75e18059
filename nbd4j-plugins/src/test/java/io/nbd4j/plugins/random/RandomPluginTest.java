package io.nbd4j.plugins.random;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IntSummaryStatistics;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomPluginTest {
    private static Handle open(String... keyValues) throws ConfigException {
        RandomPlugin plugin = new RandomPlugin();
        for (String kv : keyValues) {
            plugin.config(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        plugin.configComplete();
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    private static byte[] read(Handle h, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void theSameSeedGivesTheSameDiskAndAnotherSeedAnother() throws Exception {
        byte[] a = read(open("size=1M", "seed=42"), 1000, 4096);
        assertThat(read(open("size=1M", "seed=42"), 1000, 4096)).isEqualTo(a);
        assertThat(read(open("size=1M", "seed=43"), 1000, 4096)).isNotEqualTo(a);
    }

    @Property(tries = 200)
    void anyReadAgreesWithTheWholeDiskWhateverItsAlignmentOrByteOrder(@ForAll @LongRange(max = 8000) long offset,
                                                                     @ForAll @IntRange(min = 1, max = 100) int length,
                                                                     @ForAll boolean bigEndian) throws Exception {
        Handle h = open("size=8192", "seed=7");
        byte[] whole = read(h, 0, 8192);
        int n = (int) Math.min(length, 8192 - offset);
        ByteBuffer part = ByteBuffer.allocateDirect(n).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        h.pread(part, offset, 0);
        byte[] got = new byte[n];
        part.get(0, got);
        byte[] expected = new byte[n];
        System.arraycopy(whole, (int) offset, expected, 0, n);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void everyByteValueIsAboutEquallyCommon() throws Exception {
        byte[] disk = read(open("size=1M", "seed=5"), 0, 1 << 20);
        int[] histogram = new int[256];
        for (byte b : disk) {
            histogram[b & 0xff]++;
        }
        // 4096 expected per value; an unbiased source stays within a few times its spread of 64.
        int expected = disk.length / 256;
        IntSummaryStatistics counts = IntStream.of(histogram).summaryStatistics();
        assertThat(counts.getMin()).isGreaterThanOrEqualTo(expected * 8 / 10);
        assertThat(counts.getMax()).isLessThanOrEqualTo(expected * 12 / 10);
    }

    @Test
    void writingWhatIsThereSucceedsAndAnythingElseFailsWithEio() throws Exception {
        Handle h = open("size=1M", "seed=1");
        h.pwrite(ByteBuffer.wrap(read(h, 12345, 5000)), 12345, 0);
        byte[] changed = read(h, 12345, 5000);
        changed[4321] ^= 1;
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.wrap(changed), 12345, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO));
    }

    @Test
    void trimAndZeroAreAdvertisedButAlwaysFail() throws Exception {
        Handle h = open("size=1M");
        assertThat(h.canTrim()).isTrue();
        assertThat(h.canZero()).isTrue();
        assertThat(h.canFlush()).isFalse();
        assertThatThrownBy(() -> h.zero(4096, 0, 0)).isInstanceOf(NbdException.class);
        assertThatThrownBy(() -> h.trim(4096, 0, 0)).isInstanceOf(NbdException.class);
    }

    @Test
    void badSeedIsRefused() {
        assertThatThrownBy(() -> open("size=1M", "seed=-1")).isInstanceOf(ConfigException.class).hasMessageStartingWith("seed:");
        assertThatThrownBy(() -> open("seed=1")).isInstanceOf(ConfigException.class).hasMessageContaining("size");
    }
}
