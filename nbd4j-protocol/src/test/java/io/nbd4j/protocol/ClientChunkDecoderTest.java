package io.nbd4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.ClientChunkDecoder.BlockStatus;
import io.nbd4j.protocol.ClientChunkDecoder.Descriptor;
import io.nbd4j.protocol.ClientChunkDecoder.ErrorChunk;
import io.nbd4j.protocol.ClientChunkDecoder.Hole;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientChunkDecoderTest {

    @Test
    void errorChunkGivesValueAndMessage() throws Exception {
        byte[] message = "no space".getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(6 + message.length).putInt(ErrorCode.ENOSPC)
                .putShort((short) message.length).put(message).flip();

        assertThat(ClientChunkDecoder.decodeError(ReplyType.ERROR, payload))
                .isEqualTo(new ErrorChunk(ErrorCode.ENOSPC, "no space", ClientChunkDecoder.NO_OFFSET));
    }

    @Test
    void errorOffsetChunkGivesTheOffsetAfterTheMessage() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(6 + 2 + 8).putInt(ErrorCode.EIO).putShort((short) 2)
                .put((byte) 'h').put((byte) 'i').putLong(4096).flip();

        assertThat(ClientChunkDecoder.decodeError(ReplyType.ERROR_OFFSET, payload))
                .isEqualTo(new ErrorChunk(ErrorCode.EIO, "hi", 4096));
    }

    @Test
    void errorMessageLongerThanThePayloadIsAProtocolViolation() {
        ByteBuffer payload = ByteBuffer.allocate(8).putInt(ErrorCode.EIO).putShort((short) 10).flip();

        assertThatThrownBy(() -> ClientChunkDecoder.decodeError(ReplyType.ERROR, payload))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void holeHasSixtyFourBitOffsetAndThirtyTwoBitSize() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(12).putLong(1L << 40).putInt(0x8000_0000).flip();

        assertThat(ClientChunkDecoder.decodeHole(payload)).isEqualTo(new Hole(1L << 40, 0x8000_0000L));
    }

    @Test
    void compactBlockStatusHasThirtyTwoBitDescriptors() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(4 + 16).putInt(1)
                .putInt(0xFFFF_0000).putInt(3).putInt(512).putInt(0).flip();

        assertThat(ClientChunkDecoder.decodeBlockStatus(payload, false)).isEqualTo(new BlockStatus(1,
                List.of(new Descriptor(0xFFFF_0000L, 3), new Descriptor(512, 0))));
    }

    @Test
    void extendedBlockStatusHasACountAndSixtyFourBitDescriptors() throws Exception {
        ByteBuffer payload = ByteBuffer.allocate(8 + 16).putInt(2).putInt(1).putLong(6L << 30).putLong(2).flip();

        assertThat(ClientChunkDecoder.decodeBlockStatus(payload, true))
                .isEqualTo(new BlockStatus(2, List.of(new Descriptor(6L << 30, 2))));
    }

    @Test
    void extendedBlockStatusWhoseCountDisagreesWithItsLengthIsAProtocolViolation() {
        ByteBuffer payload = ByteBuffer.allocate(8 + 16).putInt(2).putInt(3).putLong(512).putLong(0).flip();

        assertThatThrownBy(() -> ClientChunkDecoder.decodeBlockStatus(payload, true))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("declares 3");
    }

    @Test
    void zeroLengthDescriptorIsAProtocolViolation() {
        ByteBuffer payload = ByteBuffer.allocate(4 + 8).putInt(1).putInt(0).putInt(0).flip();

        assertThatThrownBy(() -> ClientChunkDecoder.decodeBlockStatus(payload, false))
                .isInstanceOf(ProtocolException.class);
    }
}
