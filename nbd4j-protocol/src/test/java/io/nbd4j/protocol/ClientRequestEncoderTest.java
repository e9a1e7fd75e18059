package io.nbd4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ClientRequestEncoderTest {

    @Test
    void compactHeaderHasRequestMagicAndThirtyTwoBitLength() {
        ByteBuffer buffer = ByteBuffer.allocate(64);

        ClientRequestEncoder.encode(buffer, false, CommandFlags.FUA, Command.WRITE, 0x1122334455667788L,
                0x0102030405060708L, 0xFFFF_FFFFL);

        assertThat(buffer.position()).isEqualTo(ClientRequestEncoder.COMPACT_HEADER_SIZE);
        buffer.flip();
        assertThat(buffer.getInt()).isEqualTo(Magic.REQUEST);
        assertThat(buffer.getShort()).isEqualTo((short) CommandFlags.FUA);
        assertThat(buffer.getShort()).isEqualTo((short) Command.WRITE);
        assertThat(buffer.getLong()).isEqualTo(0x1122334455667788L);
        assertThat(buffer.getLong()).isEqualTo(0x0102030405060708L);
        assertThat(buffer.getInt()).isEqualTo(-1);
    }

    @Test
    void extendedHeaderHasExtendedMagicAndSixtyFourBitLength() {
        ByteBuffer buffer = ByteBuffer.allocate(64);

        ClientRequestEncoder.encode(buffer, true, CommandFlags.NO_HOLE | CommandFlags.FAST_ZERO,
                Command.WRITE_ZEROES, 9, 1L << 40, 5L << 32);

        assertThat(buffer.position()).isEqualTo(ClientRequestEncoder.EXTENDED_HEADER_SIZE);
        buffer.flip();
        assertThat(buffer.getInt()).isEqualTo(Magic.EXTENDED_REQUEST);
        assertThat(buffer.getShort()).isEqualTo((short) (CommandFlags.NO_HOLE | CommandFlags.FAST_ZERO));
        assertThat(buffer.getShort()).isEqualTo((short) Command.WRITE_ZEROES);
        assertThat(buffer.getLong()).isEqualTo(9);
        assertThat(buffer.getLong()).isEqualTo(1L << 40);
        assertThat(buffer.getLong()).isEqualTo(5L << 32);
    }

    @Test
    void compactHeaderRefusesLengthsBeyondThirtyTwoBits() {
        ByteBuffer buffer = ByteBuffer.allocate(64);

        assertThatThrownBy(() -> ClientRequestEncoder.encode(buffer, false, 0, Command.TRIM, 1, 0, 1L << 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4294967296");
        assertThat(buffer.position()).isZero();
    }
}
