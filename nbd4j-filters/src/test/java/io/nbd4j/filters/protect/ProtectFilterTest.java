package io.nbd4j.filters.protect;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ClientErrors;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ProtectFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(64 << 10);

    private static ProtectedRanges ranges(String... values) throws ConfigException {
        ProtectedRanges.Builder b = new ProtectedRanges.Builder();
        for (String v : values) {
            b.add("protect", v);
        }
        return b.build();
    }

    @Test
    void rangesAreSortedAndThoseThatOverlapOrTouchAreMerged() throws Exception {
        assertThat(ranges("512-1023", "0-511", "4096-8191", "5000-6000").ranges())
                .extracting(ProtectedRanges.Range::start, ProtectedRanges.Range::end)
                .containsExactly(tuple(0L, 1023L), tuple(4096L, 8191L));
        assertThat(ranges("-511", "0x1000-").ranges()).extracting(ProtectedRanges.Range::start, ProtectedRanges.Range::end)
                .containsExactly(tuple(0L, 511L), tuple(4096L, Long.MAX_VALUE));
        assertThat(ranges("~512-1023").ranges()).extracting(ProtectedRanges.Range::start, ProtectedRanges.Range::end)
                .containsExactly(tuple(0L, 511L), tuple(1024L, Long.MAX_VALUE));
        assertThat(ranges("~-", "-").ranges()).extracting(ProtectedRanges.Range::start, ProtectedRanges.Range::end)
                .containsExactly(tuple(0L, Long.MAX_VALUE));
    }

    @Test
    void badRangesAreRefusedAtStart() {
        assertThatThrownBy(() -> ranges("512")).hasMessageContaining("START-END");
        assertThatThrownBy(() -> ranges("1023-512")).hasMessageContaining("end is before the start");
        assertThatThrownBy(() -> ranges("a-b")).hasMessageContaining("protect");
    }

    @Test
    void aWriteThatWouldChangeProtectedBytesFailsWithEpermAndWritesNothing() throws Exception {
        byte[] header = new byte[512];
        Arrays.fill(header, (byte) 'H');
        disk.fill(0, header);
        try (ServedStack served = ServedStack.of(disk, new ProtectFilter()).config("protect=0-511").start();
             NbdClient client = served.connect()) {
            byte[] write = new byte[1024];
            assertThat(ClientErrors.errorOf(() -> client.pwrite(write, 0))).isEqualTo(ClientErrors.EPERM);
            System.arraycopy(header, 0, write, 0, 512);
            write[600] = 1;
            client.pwrite(write, 0);
            client.pwrite(new byte[] {2}, 4096);
        }
        assertThat(disk.calls()).containsExactly("pread 0+512", "pread 0+512", "pwrite 0+1024", "pwrite 4096+1");
        assertThat(disk.read(600, 1)).containsExactly(1);
    }

    @Test
    void zeroAndTrimOverProtectedBytesPassOnlyWhereTheyAreAlreadyZero() throws Exception {
        disk.fill(8192, new byte[] {5});
        try (ServedStack served = ServedStack.of(disk, new ProtectFilter()).config("protect=~0-4095").start();
             NbdClient client = served.connect()) {
            client.zero(4096, 0, 0);
            client.trim(8192, 0, 0);
            assertThat(ClientErrors.errorOf(() -> client.zero(4096, 8192, 0))).isEqualTo(ClientErrors.EPERM);
            assertThat(ClientErrors.errorOf(() -> client.trim(4096, 8192, 0))).isEqualTo(ClientErrors.EPERM);
        }
        assertThat(disk.read(8192, 1)).containsExactly(5);
    }
}
