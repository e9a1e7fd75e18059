package io.nbd4j.protocol;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of option haggling on the wire: decoding option headers and the payloads of
 * {@code NBD_OPT_INFO}/{@code GO} and {@code NBD_OPT_LIST/SET_META_CONTEXT}, and encoding option
 * replies. Stateless; buffers belong to the caller and are read or written from their position.
 */
public final class ServerOptionCodec {
    /** Bytes of an option header: IHAVEOPT, option, length. */
    public static final int OPTION_HEADER_SIZE = 16;
    /** Bytes of an option reply header: magic, option, type, length. */
    public static final int REPLY_HEADER_SIZE = 20;
    /** The protocol's limit for names and other strings. */
    public static final int MAX_STRING_BYTES = 4096;

    /** An option header. {@code length} is unsigned 32 bits. */
    public record OptionHeader(int option, long length) {}

    /** The payload of {@code NBD_OPT_INFO} or {@code NBD_OPT_GO}. */
    public record InfoRequest(String exportName, List<Integer> infos) {}

    /** The payload of {@code NBD_OPT_LIST_META_CONTEXT} or {@code NBD_OPT_SET_META_CONTEXT}. */
    public record MetaContextRequest(String exportName, List<String> queries) {}

    private ServerOptionCodec() {}

    public static OptionHeader decodeHeader(ByteBuffer in) throws ProtocolException {
        long magic = in.getLong();
        if (magic != Magic.IHAVEOPT) {
            throw new ProtocolException(String.format("bad option magic 0x%016x", magic));
        }
        int option = in.getInt();
        return new OptionHeader(option, Integer.toUnsignedLong(in.getInt()));
    }

    /** Decodes an INFO/GO payload; a length that does not add up is a {@link ProtocolException}. */
    public static InfoRequest decodeInfoRequest(ByteBuffer in) throws ProtocolException {
        String name = readString(in, "export name");
        if (in.remaining() < 2) {
            throw new ProtocolException("option data ends before the information request count");
        }
        int count = Short.toUnsignedInt(in.getShort());
        if (in.remaining() != 2L * count) {
            throw new ProtocolException("option data holds " + in.remaining() + " bytes for " + count + " information requests");
        }
        List<Integer> infos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            infos.add(Short.toUnsignedInt(in.getShort()));
        }
        return new InfoRequest(name, List.copyOf(infos));
    }

    /** Decodes a LIST/SET_META_CONTEXT payload; a length that does not add up is a {@link ProtocolException}. */
    public static MetaContextRequest decodeMetaContextRequest(ByteBuffer in) throws ProtocolException {
        String name = readString(in, "export name");
        if (in.remaining() < 4) {
            throw new ProtocolException("option data ends before the query count");
        }
        long count = Integer.toUnsignedLong(in.getInt());
        if (count * 4 > in.remaining()) {
            throw new ProtocolException("option data is too short for " + count + " queries");
        }
        List<String> queries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            queries.add(readString(in, "query"));
        }
        if (in.hasRemaining()) {
            throw new ProtocolException(in.remaining() + " bytes left after the last query");
        }
        return new MetaContextRequest(name, List.copyOf(queries));
    }

    private static String readString(ByteBuffer in, String what) throws ProtocolException {
        if (in.remaining() < 4) {
            throw new ProtocolException("option data ends before the " + what + " length");
        }
        long length = Integer.toUnsignedLong(in.getInt());
        if (length > in.remaining()) {
            throw new ProtocolException(what + " length " + length + " exceeds the option data");
        }
        if (length > MAX_STRING_BYTES) {
            throw new ProtocolException(what + " is " + length + " bytes, more than the limit of " + MAX_STRING_BYTES);
        }
        ByteBuffer bytes = in.slice(in.position(), (int) length);
        in.position(in.position() + (int) length);
        return decodeUtf8(bytes, what);
    }

    /** Decodes strict UTF-8 without NUL characters, as the protocol requires of strings. */
    public static String decodeUtf8(ByteBuffer bytes, String what) throws ProtocolException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
            if (s.indexOf('\0') >= 0) {
                throw new ProtocolException(what + " contains a NUL character");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not valid UTF-8");
        }
    }

    // ---- replies ----

    /** An option reply header; {@code payloadLength} bytes of payload follow. */
    public static void replyHeader(ByteBuffer out, int option, int type, int payloadLength) {
        out.putLong(Magic.OPTION_REPLY).putInt(option).putInt(type).putInt(payloadLength);
    }

    /** A whole option reply with the given payload (may be empty). */
    public static ByteBuffer reply(int option, int type, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(REPLY_HEADER_SIZE + payload.length);
        replyHeader(out, option, type, payload.length);
        return out.put(payload).flip();
    }

    /** The payload of {@code NBD_REP_SERVER}: the name, then the description if there is one. */
    public static byte[] serverPayload(String name, String description) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] d = description == null ? new byte[0] : description.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + n.length + d.length).putInt(n.length).put(n).put(d).array();
    }

    /** The payload of {@code NBD_REP_META_CONTEXT}. */
    public static byte[] metaContextPayload(int contextId, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + n.length).putInt(contextId).put(n).array();
    }

    /** The payload of {@code NBD_REP_INFO} carrying {@code NBD_INFO_EXPORT}. */
    public static byte[] infoExport(long size, int transmissionFlags) {
        return ByteBuffer.allocate(12).putShort((short) Info.EXPORT).putLong(size).putShort((short) transmissionFlags).array();
    }

    /** The payload of {@code NBD_REP_INFO} carrying {@code NBD_INFO_NAME} or {@code NBD_INFO_DESCRIPTION}. */
    public static byte[] infoString(int infoType, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + t.length).putShort((short) infoType).put(t).array();
    }

    /** The payload of {@code NBD_REP_INFO} carrying {@code NBD_INFO_BLOCK_SIZE}. */
    public static byte[] infoBlockSize(long minimum, long preferred, long maximum) {
        return ByteBuffer.allocate(14).putShort((short) Info.BLOCK_SIZE)
                .putInt((int) minimum).putInt((int) preferred).putInt((int) maximum).array();
    }

    /** The reply to {@code NBD_OPT_EXPORT_NAME}: size, flags and, unless the client asked for none, 124 zeroes. */
    public static ByteBuffer exportNameReply(long size, int transmissionFlags, boolean noZeroes) {
        ByteBuffer out = ByteBuffer.allocate(10 + (noZeroes ? 0 : 124));
        out.putLong(size).putShort((short) transmissionFlags);
        return out.position(out.capacity()).flip();
    }
}
