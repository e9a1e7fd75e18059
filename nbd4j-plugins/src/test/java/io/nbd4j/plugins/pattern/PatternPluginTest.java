package io.nbd4j.plugins.pattern;

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
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatternPluginTest {
    private static Handle open(String size) throws Exception {
        PatternPlugin plugin = new PatternPlugin();
        plugin.config("size", size);
        plugin.configComplete();
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    /** The bytes nbdkit's pattern plugin serves, built independently: each slot's offset, big-endian. */
    private static byte[] expected(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = offset + i;
            byte[] slot = ByteBuffer.allocate(8).putLong(at - at % 8).array();
            out[i] = slot[(int) (at % 8)];
        }
        return out;
    }

    @Test
    void startOfTheDiskMatchesNbdkitsManual() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(32);
        open("1M").pread(b, 0, 0);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo(
                "0000000000000000" + "0000000000000008" + "0000000000000010" + "0000000000000018");
    }

    @Property(tries = 300)
    void anyUnalignedReadHoldsEachSlotsOffset(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 100) long offset,
                                              @ForAll @IntRange(min = 0, max = 100) int length,
                                              @ForAll boolean direct, @ForAll boolean littleEndianBuffer) throws Exception {
        Handle h = open(Long.toString(Long.MAX_VALUE));
        ByteBuffer b = (direct ? ByteBuffer.allocateDirect(length + 3) : ByteBuffer.allocate(length + 3))
                .order(littleEndianBuffer ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.position(3);
        h.pread(b, offset, 0);
        byte[] got = new byte[length];
        b.get(3, got);
        assertThat(got).isEqualTo(expected(offset, length));
    }

    @Test
    void theLastSlotOfTheLargestDiskIsCutShort() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(7);
        open(Long.toString(Long.MAX_VALUE)).pread(b, Long.MAX_VALUE - 7, 0);
        assertThat(b.array()).isEqualTo(new byte[] {0x7f, -1, -1, -1, -1, -1, -1});
    }

    @Test
    void writesAreRefusedWithEperm() throws Exception {
        Handle h = open("1M");
        assertThat(h.canWrite()).isFalse();
        assertThat(h.canMultiConn()).isTrue();
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(8), 0, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
    }

    @Test
    void sizeIsRequired() {
        PatternPlugin plugin = new PatternPlugin();
        assertThatThrownBy(plugin::configComplete).isInstanceOf(ConfigException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> plugin.config("size", "1X")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
    }
}
