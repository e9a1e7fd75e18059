package io.nbd4j.plugins.floppy;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

class FatTableTest {
    private static final int END = 0x0FFF_FFFF;

    /** Chains: 2-4 (3 clusters), 5 (1), 6-7 (2); 8 and beyond free. */
    private final FatTable fat = new FatTable(new long[] {2, 5, 6}, 8);

    @Test
    void entriesLinkEachChainAndEndIt() {
        assertThat(fat.entry(0)).isEqualTo(0x0FFF_FFF8);
        assertThat(fat.entry(1)).isEqualTo(END);
        assertThat(fat.entry(2)).isEqualTo(3);
        assertThat(fat.entry(3)).isEqualTo(4);
        assertThat(fat.entry(4)).isEqualTo(END);
        assertThat(fat.entry(5)).isEqualTo(END);
        assertThat(fat.entry(6)).isEqualTo(7);
        assertThat(fat.entry(7)).isEqualTo(END);
        assertThat(fat.entry(8)).isZero();
        assertThat(fat.entry(100_000)).isZero();
    }

    @Test
    void unalignedReadsGiveTheSameBytesAsAWholeRead() {
        ByteBuffer whole = ByteBuffer.allocate(40);
        fat.read(whole, 0);
        whole.order(ByteOrder.LITTLE_ENDIAN);
        assertThat(whole.getInt(8)).isEqualTo(3);
        for (int from = 0; from < 40; from++) {
            for (int length = 0; from + length <= 40; length += 3) {
                ByteBuffer part = ByteBuffer.allocate(length);
                fat.read(part, from);
                assertThat(part.array()).as("bytes %d+%d", from, length)
                        .containsExactly(java.util.Arrays.copyOfRange(whole.array(), from, from + length));
            }
        }
    }
}
