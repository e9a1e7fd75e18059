package io.nbd4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ClientReplyHeaderTest {

    @Test
    void simpleReplyCarriesErrorAndCookieAndIsFinal() throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(16).putInt(Magic.SIMPLE_REPLY).putInt(ErrorCode.EIO).putLong(42).flip();

        assertThat(ClientReplyHeader.headerSize(wire.getInt(0))).isEqualTo(16);
        ClientReplyHeader header = ClientReplyHeader.decode(wire);

        assertThat(header).isEqualTo(new ClientReplyHeader(ClientReplyHeader.Kind.SIMPLE, 0, ReplyType.NONE, 42, 0, 0,
                ErrorCode.EIO));
        assertThat(header.isFinal()).isTrue();
    }

    @Test
    void structuredChunkCarriesUnsignedTypeAndLength() throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(20).putInt(Magic.STRUCTURED_REPLY).putShort((short) 0)
                .putShort((short) ReplyType.ERROR_OFFSET).putLong(7).putInt(0xFFFF_FFF0).flip();

        ClientReplyHeader header = ClientReplyHeader.decode(wire);

        assertThat(header.kind()).isEqualTo(ClientReplyHeader.Kind.STRUCTURED);
        assertThat(header.type()).isEqualTo(ReplyType.ERROR_OFFSET);
        assertThat(header.payloadLength()).isEqualTo(0xFFFF_FFF0L);
        assertThat(header.isFinal()).isFalse();
    }

    @Test
    void extendedChunkCarriesOffsetAndSixtyFourBitLength() throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(32).putInt(Magic.EXTENDED_REPLY).putShort((short) ReplyType.FLAG_DONE)
                .putShort((short) ReplyType.BLOCK_STATUS_EXT).putLong(3).putLong(1L << 33).putLong(1L << 32).flip();

        assertThat(ClientReplyHeader.headerSize(wire.getInt(0))).isEqualTo(32);
        assertThat(ClientReplyHeader.decode(wire)).isEqualTo(new ClientReplyHeader(ClientReplyHeader.Kind.EXTENDED,
                ReplyType.FLAG_DONE, ReplyType.BLOCK_STATUS_EXT, 3, 1L << 33, 1L << 32, 0));
    }

    @Test
    void unknownMagicIsAProtocolViolation() {
        assertThatThrownBy(() -> ClientReplyHeader.headerSize(Magic.REQUEST)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("25609513");
    }
}
