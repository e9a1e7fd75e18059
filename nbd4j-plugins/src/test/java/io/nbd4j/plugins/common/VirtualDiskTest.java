package io.nbd4j.plugins.common;

import io.nbd4j.spi.Extents;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualDiskTest {
    /** A content whose byte at offset i of its region is (i + 1) & 0xFF. */
    private static final VirtualDisk.Content COUNTING = (into, offset) -> {
        ByteBuffer out = into.duplicate();
        for (long i = offset; out.hasRemaining(); i++) {
            out.put((byte) (i + 1));
        }
    };

    private static VirtualDisk sample() {
        return VirtualDisk.builder()
                .bytes(new byte[] {9, 8, 7}, 5)   // 0..4: 9 8 7 0 0
                .zeroesTo(10)                     // 5..9
                .content(4, COUNTING)             // 10..13: 1 2 3 4
                .zeroes(0)
                .bytes(new byte[] {5})            // 14
                .build();
    }

    private static byte[] read(VirtualDisk disk, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        disk.read(b, offset);
        return b.array();
    }

    @Test
    void readsSpanRegionsAndPadShortBytesWithZeroes() throws Exception {
        VirtualDisk disk = sample();
        assertThat(disk.size()).isEqualTo(15);
        assertThat(read(disk, 0, 15)).containsExactly(9, 8, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5);
        assertThat(read(disk, 2, 10)).containsExactly(7, 0, 0, 0, 0, 0, 0, 0, 1, 2);
        assertThat(read(disk, 12, 3)).containsExactly(3, 4, 5);
    }

    @Test
    void readFillsOnlyBetweenPositionAndLimit() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(6);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).position(2).limit(4);
        sample().read(b, 11);
        assertThat(b.array()).containsExactly(-1, -1, 2, 3, -1, -1);
    }

    private static List<String> extents(VirtualDisk disk, long offset, long length, boolean firstOnly) throws Exception {
        List<String> seen = new ArrayList<>();
        disk.extents(offset, length, firstOnly, (o, l, t) -> seen.add(o + "+" + l + (t == 0 ? " data" : " hole")));
        return seen;
    }

    @Test
    void zeroRegionsAreHolesAndEverythingElseData() throws Exception {
        assertThat(extents(sample(), 0, 15, false)).containsExactly("0+5 data", "5+5 hole", "10+4 data", "14+1 data");
        assertThat(extents(sample(), 6, 5, false)).containsExactly("5+5 hole", "10+4 data");
        assertThat(extents(sample(), 6, 5, true)).containsExactly("5+5 hole");
        assertThat(Extents.HOLE | Extents.ZERO).isNotZero();
    }

    @Test
    void paddingBackwardsIsAMistake() {
        VirtualDisk.Builder b = VirtualDisk.builder().zeroes(10);
        assertThatThrownBy(() -> b.zeroesTo(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
