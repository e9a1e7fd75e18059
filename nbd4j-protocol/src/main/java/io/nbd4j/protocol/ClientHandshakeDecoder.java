package io.nbd4j.protocol;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes what a server sends during the handshake, as a client reads it: the newstyle greeting, option
 * reply headers and the payloads of {@code NBD_REP_SERVER}, {@code NBD_REP_INFO},
 * {@code NBD_REP_META_CONTEXT} and error replies, and the reply to {@code NBD_OPT_EXPORT_NAME}.
 *
 * <p>Methods that take a payload read it from {@code src}'s position to its limit and retain nothing.
 * Stateless: safe to call from any thread.
 */
public final class ClientHandshakeDecoder {
    /** NBDMAGIC, IHAVEOPT and the 16-bit handshake flags. */
    public static final int GREETING_SIZE = 18;
    public static final int OPTION_REPLY_HEADER_SIZE = 20;
    /** Export size and transmission flags that answer {@code NBD_OPT_EXPORT_NAME}, without the padding. */
    public static final int EXPORT_NAME_REPLY_SIZE = 10;
    /** Zero padding after the export-name reply unless {@code NBD_FLAG_C_NO_ZEROES} was agreed. */
    public static final int EXPORT_NAME_REPLY_PADDING = 124;

    private ClientHandshakeDecoder() {}

    /** Header of one option reply; {@code length} bytes of payload follow it. */
    public record OptionReplyHeader(int option, int type, int length) {}

    /** Payload of {@code NBD_REP_SERVER}: one export of {@code NBD_OPT_LIST}. */
    public record ServerEntry(String name, String description) {}

    /** Payload of {@code NBD_REP_META_CONTEXT}. */
    public record MetaContextEntry(int id, String name) {}

    /** Export size and transmission flags, from {@code NBD_INFO_EXPORT} or the export-name reply. */
    public record ExportSizeAndFlags(long size, int transmissionFlags) {}

    /** One {@code NBD_REP_INFO} payload, by information type. */
    public sealed interface InfoItem {}
    public record ExportItem(long size, int transmissionFlags) implements InfoItem {}
    public record NameItem(String name) implements InfoItem {}
    public record DescriptionItem(String description) implements InfoItem {}
    public record BlockSizeItem(long minimum, long preferred, long maximum) implements InfoItem {}
    /** An information type this client does not know; the protocol says to ignore it. */
    public record UnknownItem(int infoType) implements InfoItem {}

    /**
     * Decodes the 18-byte newstyle greeting and returns the handshake flags.
     *
     * @throws ProtocolException if the server is not an NBD server or uses oldstyle negotiation
     */
    public static int decodeGreeting(ByteBuffer src) throws ProtocolException {
        long magic = src.getLong();
        if (magic != Magic.NBDMAGIC) {
            throw new ProtocolException("server did not start with NBDMAGIC (got 0x" + Long.toHexString(magic) + ")");
        }
        long style = src.getLong();
        if (style == Magic.CLISERV_MAGIC) {
            throw new ProtocolException("server uses oldstyle negotiation, which this client does not support");
        }
        if (style != Magic.IHAVEOPT) {
            throw new ProtocolException("server sent neither IHAVEOPT nor the oldstyle magic (got 0x"
                    + Long.toHexString(style) + ")");
        }
        return Short.toUnsignedInt(src.getShort());
    }

    public static OptionReplyHeader decodeOptionReplyHeader(ByteBuffer src) throws ProtocolException {
        long magic = src.getLong();
        if (magic != Magic.OPTION_REPLY) {
            throw new ProtocolException("bad option reply magic 0x" + Long.toHexString(magic));
        }
        int option = src.getInt();
        int type = src.getInt();
        int length = src.getInt();
        if (length < 0) {
            throw new ProtocolException("option reply length " + Integer.toUnsignedString(length) + " is too large");
        }
        return new OptionReplyHeader(option, type, length);
    }

    public static ServerEntry decodeServer(ByteBuffer src) throws ProtocolException {
        int nameLength = src.getInt();
        if (nameLength < 0 || nameLength > src.remaining()) {
            throw new ProtocolException("NBD_REP_SERVER name length " + Integer.toUnsignedString(nameLength)
                    + " exceeds the " + src.remaining() + " payload bytes left");
        }
        String name = readString(src, nameLength);
        return new ServerEntry(name, readString(src, src.remaining()));
    }

    public static MetaContextEntry decodeMetaContext(ByteBuffer src) throws ProtocolException {
        if (src.remaining() < 4) {
            throw new ProtocolException("NBD_REP_META_CONTEXT payload of " + src.remaining() + " bytes is too short");
        }
        int id = src.getInt();
        return new MetaContextEntry(id, readString(src, src.remaining()));
    }

    public static InfoItem decodeInfo(ByteBuffer src) throws ProtocolException {
        if (src.remaining() < 2) {
            throw new ProtocolException("NBD_REP_INFO payload of " + src.remaining() + " bytes is too short");
        }
        int infoType = Short.toUnsignedInt(src.getShort());
        return switch (infoType) {
            case Info.EXPORT -> {
                ExportSizeAndFlags export = decodeExportName(expect(src, 10, "NBD_INFO_EXPORT"));
                yield new ExportItem(export.size(), export.transmissionFlags());
            }
            case Info.NAME -> new NameItem(readString(src, src.remaining()));
            case Info.DESCRIPTION -> new DescriptionItem(readString(src, src.remaining()));
            case Info.BLOCK_SIZE -> {
                expect(src, 12, "NBD_INFO_BLOCK_SIZE");
                yield new BlockSizeItem(Integer.toUnsignedLong(src.getInt()), Integer.toUnsignedLong(src.getInt()),
                        Integer.toUnsignedLong(src.getInt()));
            }
            default -> {
                src.position(src.limit());
                yield new UnknownItem(infoType);
            }
        };
    }

    /** Decodes the 10-byte export size and transmission flags (without any padding). */
    public static ExportSizeAndFlags decodeExportName(ByteBuffer src) {
        long size = src.getLong();
        return new ExportSizeAndFlags(size, Short.toUnsignedInt(src.getShort()));
    }

    /** The optional human-readable message of an error reply. */
    public static String decodeErrorMessage(ByteBuffer src) {
        return readString(src, src.remaining());
    }

    private static ByteBuffer expect(ByteBuffer src, int length, String what) throws ProtocolException {
        if (src.remaining() != length) {
            throw new ProtocolException(what + " payload is " + src.remaining() + " bytes, expected " + length);
        }
        return src;
    }

    private static String readString(ByteBuffer src, int length) {
        byte[] bytes = new byte[length];
        src.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
