package io.nbd4j.spi;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ZeroBytesTest {
    @Test
    void onlyTheBytesBetweenPositionAndLimitCount() {
        ByteBuffer b = ByteBuffer.allocate(16).put(0, (byte) 1).put(15, (byte) 1);
        assertThat(ZeroBytes.isZero(b)).isFalse();
        assertThat(ZeroBytes.isZero(b.position(1).limit(15))).isTrue();
        assertThat(b.position()).isEqualTo(1);
        assertThat(b.limit()).isEqualTo(15);
    }

    @Test
    void aNonZeroByteIsFoundBeyondTheFirstChunkInDirectBuffers() {
        ByteBuffer b = ByteBuffer.allocateDirect(200_000);
        assertThat(ZeroBytes.isZero(b)).isTrue();
        b.put(199_999, (byte) 7);
        assertThat(ZeroBytes.isZero(b)).isFalse();
        assertThat(ZeroBytes.isZero(b.limit(199_999))).isTrue();
        assertThat(ZeroBytes.isZero(ByteBuffer.allocate(0))).isTrue();
    }

    @Test
    void fillZeroesOnlyTheRemainingBytes() {
        for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocate(100_000), ByteBuffer.allocateDirect(100_000)}) {
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) 9);
            }
            ZeroBytes.fill(b.position(10).limit(99_990));
            assertThat(b.position()).isEqualTo(10);
            assertThat(ZeroBytes.isZero(b)).isTrue();
            b.clear();
            assertThat(b.get(9)).isEqualTo((byte) 9);
            assertThat(b.get(99_990)).isEqualTo((byte) 9);
        }
    }
}
