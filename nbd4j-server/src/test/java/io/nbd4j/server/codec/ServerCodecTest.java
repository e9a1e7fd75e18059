package io.nbd4j.server.codec;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.ReplyType;
import io.nbd4j.protocol.ServerOptionCodec;
import io.nbd4j.protocol.ServerReplyEncoder;
import io.nbd4j.protocol.ServerRequestDecoder;
import io.nbd4j.protocol.ServerRequestHeader;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerCodecTest {

    @Test
    void compactRequestDecodesEveryFieldWithUnsignedLength() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(28).putInt(Magic.REQUEST).putShort((short) CommandFlags.FUA)
                .putShort((short) Command.WRITE).putLong(0x1122334455667788L).putLong(-4096L).putInt(0xffff_fff0).flip();
        ServerRequestHeader r = ServerRequestDecoder.decode(b, false);
        assertThat(r).isEqualTo(new ServerRequestHeader(CommandFlags.FUA, Command.WRITE, 0x1122334455667788L, -4096L, 0xffff_fff0L));
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void extendedRequestDecodesA64BitLength() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(32).putInt(Magic.EXTENDED_REQUEST).putShort((short) 0)
                .putShort((short) Command.WRITE_ZEROES).putLong(7).putLong(0).putLong(1L << 40).flip();
        assertThat(ServerRequestDecoder.decode(b, true).length()).isEqualTo(1L << 40);
    }

    @Test
    void requestWithTheOtherStylesMagicIsRefused() {
        ByteBuffer compact = ByteBuffer.allocate(32).putInt(Magic.REQUEST).flip().limit(32);
        assertThatThrownBy(() -> ServerRequestDecoder.decode(compact, true)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("bad request magic");
    }

    @Test
    void truncatedRequestIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(20).putInt(Magic.REQUEST).flip().limit(20);
        assertThatThrownBy(() -> ServerRequestDecoder.decode(b, false)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Property(tries = 2000)
    void garbageIsEitherARequestOrAProtocolErrorNeverAnotherFailure(@ForAll @Size(max = 40) byte[] bytes,
                                                                    @ForAll boolean extended) {
        try {
            ServerRequestHeader r = ServerRequestDecoder.decode(ByteBuffer.wrap(bytes), extended);
            assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(extended ? Magic.EXTENDED_REQUEST : Magic.REQUEST);
            assertThat(r.type()).isBetween(0, 0xffff);
        } catch (ProtocolException expected) {
            // garbage is reported, not thrown as something else
        }
    }

    @Property(tries = 2000)
    void garbageOptionPayloadsAreEitherDecodedOrAProtocolError(@ForAll @Size(max = 64) byte[] bytes) {
        try {
            ServerOptionCodec.decodeInfoRequest(ByteBuffer.wrap(bytes));
        } catch (ProtocolException expected) {
            // reported as invalid
        }
        try {
            ServerOptionCodec.decodeMetaContextRequest(ByteBuffer.wrap(bytes));
        } catch (ProtocolException expected) {
            // reported as invalid
        }
    }

    @Test
    void simpleReplyIsMagicErrorCookie() {
        ByteBuffer b = ByteBuffer.allocate(16);
        ServerReplyEncoder.simpleReply(b, 22, 0x0102030405060708L);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("67446698" + "00000016" + "0102030405060708");
    }

    @Test
    void structuredDataChunkHeaderCountsTheOffsetInItsLength() {
        ByteBuffer b = ByteBuffer.allocate(28);
        ServerReplyEncoder.offsetData(b, false, ReplyType.FLAG_DONE, 5, 4096, 4096, 512);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo(
                "668e33ef" + "0001" + "0001" + "0000000000000005" + "00000208" + "0000000000001000");
    }

    @Test
    void extendedChunkHeaderCarriesTheRequestOffsetAnd64BitLength() {
        ByteBuffer b = ByteBuffer.allocate(32);
        ServerReplyEncoder.none(b, true, 9, 1L << 33);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo(
                "6e8a278c" + "0001" + "0000" + "0000000000000009" + "0000000200000000" + "0000000000000000");
    }

    @Test
    void errorChunkCarriesValueAndMessage() {
        byte[] message = ServerReplyEncoder.messageBytes("bad");
        ByteBuffer b = ByteBuffer.allocate(20 + 6 + 3);
        ServerReplyEncoder.error(b, false, 1, 0, 5, message);
        b.flip().position(6);
        assertThat(b.getShort()).isEqualTo((short) ReplyType.ERROR);
        b.position(16);
        assertThat(b.getInt()).isEqualTo(9);
        assertThat(b.getInt()).isEqualTo(5);
        assertThat(b.getShort()).isEqualTo((short) 3);
        assertThat(StandardCharsets.UTF_8.decode(b).toString()).isEqualTo("bad");
    }

    @Test
    void longErrorMessagesAreCutToTheProtocolLimit() {
        assertThat(ServerReplyEncoder.messageBytes("x".repeat(10_000))).hasSize(4096);
    }

    @Test
    void blockStatusExtHasACountAnd64BitDescriptors() {
        ByteBuffer b = ByteBuffer.allocate(32 + 8 + 16);
        ServerReplyEncoder.blockStatus(b, true, 3, 0, 1, 1);
        ServerReplyEncoder.blockStatusDescriptor(b, true, 1L << 35, 3);
        b.flip().position(6);
        assertThat(b.getShort()).isEqualTo((short) ReplyType.BLOCK_STATUS_EXT);
        b.position(24);
        assertThat(b.getLong()).isEqualTo(24);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getLong()).isEqualTo(1L << 35);
        assertThat(b.getLong()).isEqualTo(3);
    }

    @Test
    void infoRequestDecodesNameAndRequests() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 3 + 2 + 4).putInt(3).put("abc".getBytes(StandardCharsets.UTF_8))
                .putShort((short) 2).putShort((short) 1).putShort((short) 3).flip();
        ServerOptionCodec.InfoRequest r = ServerOptionCodec.decodeInfoRequest(b);
        assertThat(r.exportName()).isEqualTo("abc");
        assertThat(r.infos()).containsExactly(1, 3);
    }

    @Test
    void infoRequestWhoseCountDisagreesWithItsLengthIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2).putInt(0).putShort((short) 2).putShort((short) 1).flip();
        assertThatThrownBy(() -> ServerOptionCodec.decodeInfoRequest(b)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void namesWithNulOrInvalidUtf8AreRefused() {
        ByteBuffer nul = ByteBuffer.allocate(4 + 2 + 2).putInt(2).put(new byte[] {'a', 0}).putShort((short) 0).flip();
        assertThatThrownBy(() -> ServerOptionCodec.decodeInfoRequest(nul)).hasMessageContaining("NUL");
        ByteBuffer bad = ByteBuffer.allocate(4 + 1 + 2).putInt(1).put((byte) 0xff).putShort((short) 0).flip();
        assertThatThrownBy(() -> ServerOptionCodec.decodeInfoRequest(bad)).hasMessageContaining("UTF-8");
    }

    @Test
    void metaContextRequestDecodesQueriesAndRefusesTrailingBytes() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + 5).putInt(0).putInt(1).putInt(5)
                .put("base:".getBytes(StandardCharsets.UTF_8)).flip();
        assertThat(ServerOptionCodec.decodeMetaContextRequest(b).queries()).containsExactly("base:");
        ByteBuffer trailing = ByteBuffer.allocate(4 + 4 + 1).putInt(0).putInt(0).put((byte) 1).flip();
        assertThatThrownBy(() -> ServerOptionCodec.decodeMetaContextRequest(trailing)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void exportNameReplyPadsWithZeroesUnlessAskedNotTo() {
        assertThat(ServerOptionCodec.exportNameReply(1, 3, false).remaining()).isEqualTo(134);
        assertThat(ServerOptionCodec.exportNameReply(1, 3, true).remaining()).isEqualTo(10);
    }
}
