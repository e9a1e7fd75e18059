package io.nbd4j.protocol;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The header of one transmission-phase reply as a client reads it: a simple reply (16 bytes), a
 * structured reply chunk (20 bytes) or an extended reply chunk (32 bytes). Every form starts with a
 * 32-bit magic and is at least {@link #PREFIX_SIZE} bytes long, so a reader can fetch the prefix, ask
 * {@link #headerSize(int)} how many bytes the whole header has, and then {@link #decode} it.
 *
 * @param flags         chunk flags ({@link ReplyType#FLAG_DONE}); 0 for a simple reply
 * @param type          chunk type ({@link ReplyType}); {@link ReplyType#NONE} for a simple reply
 * @param offset        the offset echoed by an extended reply; 0 otherwise
 * @param payloadLength bytes of chunk payload that follow; 0 for a simple reply, whose read data (if
 *                      any) only the requester knows the length of
 * @param error         the error value of a simple reply; 0 for chunks, which carry errors in the payload
 */
public record ClientReplyHeader(Kind kind, int flags, int type, long cookie, long offset,
                                long payloadLength, int error) {

    /** Which of the three reply framings a header used. */
    public enum Kind { SIMPLE, STRUCTURED, EXTENDED }

    public static final int PREFIX_SIZE = 16;
    public static final int SIMPLE_SIZE = 16;
    public static final int STRUCTURED_SIZE = 20;
    public static final int EXTENDED_SIZE = 32;

    /**
     * Size of the whole header that begins with {@code magic}.
     *
     * @throws ProtocolException if {@code magic} is not a reply magic
     */
    public static int headerSize(int magic) throws ProtocolException {
        return switch (magic) {
            case Magic.SIMPLE_REPLY -> SIMPLE_SIZE;
            case Magic.STRUCTURED_REPLY -> STRUCTURED_SIZE;
            case Magic.EXTENDED_REPLY -> EXTENDED_SIZE;
            default -> throw new ProtocolException("unknown reply magic 0x" + Integer.toHexString(magic));
        };
    }

    /**
     * Decodes a header from {@code src}, which must hold the whole header from its position; advances the
     * position past it. Nothing of {@code src} is retained.
     */
    public static ClientReplyHeader decode(ByteBuffer src) throws ProtocolException {
        int magic = src.getInt();
        return switch (magic) {
            case Magic.SIMPLE_REPLY -> {
                int error = src.getInt();
                yield new ClientReplyHeader(Kind.SIMPLE, 0, ReplyType.NONE, src.getLong(), 0, 0, error);
            }
            case Magic.STRUCTURED_REPLY -> {
                int flags = Short.toUnsignedInt(src.getShort());
                int type = Short.toUnsignedInt(src.getShort());
                long cookie = src.getLong();
                long length = Integer.toUnsignedLong(src.getInt());
                yield new ClientReplyHeader(Kind.STRUCTURED, flags, type, cookie, 0, length, 0);
            }
            case Magic.EXTENDED_REPLY -> {
                int flags = Short.toUnsignedInt(src.getShort());
                int type = Short.toUnsignedInt(src.getShort());
                long cookie = src.getLong();
                long offset = src.getLong();
                long length = src.getLong();
                if (length < 0) {
                    throw new ProtocolException("extended reply payload length "
                            + Long.toUnsignedString(length) + " is beyond any sane limit");
                }
                yield new ClientReplyHeader(Kind.EXTENDED, flags, type, cookie, offset, length, 0);
            }
            default -> throw new ProtocolException("unknown reply magic 0x" + Integer.toHexString(magic));
        };
    }

    /** Whether this is the last message of its reply: always for a simple reply, else the DONE flag. */
    public boolean isFinal() {
        return kind == Kind.SIMPLE || (flags & ReplyType.FLAG_DONE) != 0;
    }
}
