package io.nbd4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.ClientHandshakeDecoder.BlockSizeItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.ExportItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.MetaContextEntry;
import io.nbd4j.protocol.ClientHandshakeDecoder.NameItem;
import io.nbd4j.protocol.ClientHandshakeDecoder.OptionReplyHeader;
import io.nbd4j.protocol.ClientHandshakeDecoder.ServerEntry;
import io.nbd4j.protocol.ClientHandshakeDecoder.UnknownItem;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHandshakeCodecTest {

    @Test
    void optionRequestIsMagicOptionLengthThenData() {
        ByteBuffer wire = ClientHandshakeEncoder.option(Option.LIST, new byte[] {1, 2});

        assertThat(wire.remaining()).isEqualTo(18);
        assertThat(wire.getLong()).isEqualTo(Magic.IHAVEOPT);
        assertThat(wire.getInt()).isEqualTo(Option.LIST);
        assertThat(wire.getInt()).isEqualTo(2);
        assertThat(wire.get()).isEqualTo((byte) 1);
    }

    @Test
    void infoRequestIsNameThenInfoTypes() {
        ByteBuffer data = ByteBuffer.wrap(
                ClientHandshakeEncoder.infoRequest("disk", List.of(Info.NAME, Info.BLOCK_SIZE)));

        assertThat(data.getInt()).isEqualTo(4);
        byte[] name = new byte[4];
        data.get(name);
        assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("disk");
        assertThat(data.getShort()).isEqualTo((short) 2);
        assertThat(data.getShort()).isEqualTo((short) Info.NAME);
        assertThat(data.getShort()).isEqualTo((short) Info.BLOCK_SIZE);
        assertThat(data.hasRemaining()).isFalse();
    }

    @Test
    void metaContextRequestIsNameThenCountedQueries() {
        ByteBuffer data = ByteBuffer.wrap(ClientHandshakeEncoder.metaContextRequest("", List.of("base:allocation")));

        assertThat(data.getInt()).isZero();
        assertThat(data.getInt()).isEqualTo(1);
        assertThat(data.getInt()).isEqualTo(15);
        assertThat(data.remaining()).isEqualTo(15);
    }

    @Test
    void stringsOverTheProtocolLimitAreRefusedNamingWhatWasTooLong() {
        assertThatThrownBy(() -> ClientHandshakeEncoder.infoRequest("x".repeat(4097), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("export name");
    }

    @Test
    void greetingGivesHandshakeFlagsAndRefusesOldstyle() throws Exception {
        ByteBuffer newstyle = ByteBuffer.allocate(18).putLong(Magic.NBDMAGIC).putLong(Magic.IHAVEOPT)
                .putShort((short) 3).flip();
        ByteBuffer oldstyle = ByteBuffer.allocate(18).putLong(Magic.NBDMAGIC).putLong(Magic.CLISERV_MAGIC)
                .putShort((short) 0).flip();

        assertThat(ClientHandshakeDecoder.decodeGreeting(newstyle)).isEqualTo(3);
        assertThatThrownBy(() -> ClientHandshakeDecoder.decodeGreeting(oldstyle))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("oldstyle");
    }

    @Test
    void optionReplyHeaderAndPayloadsDecode() throws Exception {
        ByteBuffer header = ByteBuffer.allocate(20).putLong(Magic.OPTION_REPLY).putInt(Option.GO)
                .putInt(OptionReply.INFO).putInt(12).flip();
        assertThat(ClientHandshakeDecoder.decodeOptionReplyHeader(header))
                .isEqualTo(new OptionReplyHeader(Option.GO, OptionReply.INFO, 12));

        assertThat(ClientHandshakeDecoder.decodeInfo(ByteBuffer.allocate(12).putShort((short) Info.EXPORT)
                .putLong(1L << 35).putShort((short) 0x8003).flip())).isEqualTo(new ExportItem(1L << 35, 0x8003));
        assertThat(ClientHandshakeDecoder.decodeInfo(ByteBuffer.allocate(14).putShort((short) Info.BLOCK_SIZE)
                .putInt(1).putInt(4096).putInt(-1).flip())).isEqualTo(new BlockSizeItem(1, 4096, 0xFFFF_FFFFL));
        assertThat(ClientHandshakeDecoder.decodeInfo(ByteBuffer.allocate(4).putShort((short) Info.NAME)
                .put((byte) 'a').put((byte) 'b').flip())).isEqualTo(new NameItem("ab"));
        assertThat(ClientHandshakeDecoder.decodeInfo(ByteBuffer.allocate(5).putShort((short) 99).flip()))
                .isEqualTo(new UnknownItem(99));
        assertThat(ClientHandshakeDecoder.decodeServer(ByteBuffer.allocate(9).putInt(2).put("abxyz".getBytes()).flip()))
                .isEqualTo(new ServerEntry("ab", "xyz"));
        assertThat(ClientHandshakeDecoder.decodeMetaContext(
                ByteBuffer.allocate(7).putInt(5).put("a:b".getBytes()).flip()))
                .isEqualTo(new MetaContextEntry(5, "a:b"));
    }

    @Test
    void optionReplyWithWrongMagicIsAProtocolViolation() {
        ByteBuffer header = ByteBuffer.allocate(20).putLong(Magic.IHAVEOPT).putInt(1).putInt(1).putInt(0).flip();

        assertThatThrownBy(() -> ClientHandshakeDecoder.decodeOptionReplyHeader(header))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void serverEntryWhoseNameOverrunsThePayloadIsAProtocolViolation() {
        ByteBuffer payload = ByteBuffer.allocate(6).putInt(10).put((byte) 'a').put((byte) 'b').flip();

        assertThatThrownBy(() -> ClientHandshakeDecoder.decodeServer(payload)).isInstanceOf(ProtocolException.class);
    }
}
