package io.nbd4j.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes transmission replies on the server side: the simple reply header, structured and extended
 * chunk headers, and the fixed parts of chunk payloads. Each method puts big-endian bytes at the
 * buffer's position and advances it; the buffer belongs to the caller. Payload data (read results)
 * is never copied here: the caller writes it after the header.
 */
public final class ServerReplyEncoder {
    public static final int SIMPLE_HEADER_SIZE = 16;
    public static final int STRUCTURED_HEADER_SIZE = 20;
    public static final int EXTENDED_HEADER_SIZE = 32;
    /** Longest error message carried in an error chunk (the protocol's string limit). */
    public static final int MAX_MESSAGE_BYTES = 4096;

    private ServerReplyEncoder() {}

    /** A simple reply header; for a successful read the data follows. */
    public static void simpleReply(ByteBuffer out, int error, long cookie) {
        out.putInt(Magic.SIMPLE_REPLY).putInt(error).putLong(cookie);
    }

    /**
     * A chunk header: structured (20 bytes) or, with extended headers, extended (32 bytes, carrying the
     * request's offset).
     */
    public static void chunkHeader(ByteBuffer out, boolean extended, int flags, int type, long cookie,
                                   long requestOffset, long payloadLength) {
        if (extended) {
            out.putInt(Magic.EXTENDED_REPLY).putShort((short) flags).putShort((short) type).putLong(cookie)
                    .putLong(requestOffset).putLong(payloadLength);
        } else {
            out.putInt(Magic.STRUCTURED_REPLY).putShort((short) flags).putShort((short) type).putLong(cookie)
                    .putInt((int) payloadLength);
        }
    }

    public static int chunkHeaderSize(boolean extended) {
        return extended ? EXTENDED_HEADER_SIZE : STRUCTURED_HEADER_SIZE;
    }

    /** The 8-byte prefix of an {@code OFFSET_DATA} payload; {@code length} data bytes follow. */
    public static void offsetData(ByteBuffer out, boolean extended, int flags, long cookie, long requestOffset,
                                  long dataOffset, int length) {
        chunkHeader(out, extended, flags, ReplyType.OFFSET_DATA, cookie, requestOffset, 8L + length);
        out.putLong(dataOffset);
    }

    /** A whole {@code OFFSET_HOLE} chunk (its hole size is 32 bits in both header styles). */
    public static void offsetHole(ByteBuffer out, boolean extended, int flags, long cookie, long requestOffset,
                                  long holeOffset, int holeLength) {
        chunkHeader(out, extended, flags, ReplyType.OFFSET_HOLE, cookie, requestOffset, 12);
        out.putLong(holeOffset).putInt(holeLength);
    }

    /** A whole {@code NONE} chunk with the done flag. */
    public static void none(ByteBuffer out, boolean extended, long cookie, long requestOffset) {
        chunkHeader(out, extended, ReplyType.FLAG_DONE, ReplyType.NONE, cookie, requestOffset, 0);
    }

    /** Bytes of an error message as sent: UTF-8, cut to the protocol limit. */
    public static byte[] messageBytes(String message) {
        byte[] bytes = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_MESSAGE_BYTES) {
            return bytes;
        }
        byte[] cut = new byte[MAX_MESSAGE_BYTES];
        System.arraycopy(bytes, 0, cut, 0, MAX_MESSAGE_BYTES);
        return cut;
    }

    /** A whole {@code ERROR} chunk with the done flag; {@code out} needs room for the message. */
    public static void error(ByteBuffer out, boolean extended, long cookie, long requestOffset, int error, byte[] message) {
        chunkHeader(out, extended, ReplyType.FLAG_DONE, ReplyType.ERROR, cookie, requestOffset, 6L + message.length);
        out.putInt(error).putShort((short) message.length).put(message);
    }

    /** The size of a block status payload with {@code count} descriptors. */
    public static long blockStatusPayloadSize(boolean extended, int count) {
        return extended ? 8L + 16L * count : 4L + 8L * count;
    }

    /**
     * The header and fixed prefix of a {@code BLOCK_STATUS} chunk, or {@code BLOCK_STATUS_EXT} with
     * extended headers; follow with {@code count} calls of {@link #blockStatusDescriptor}.
     */
    public static void blockStatus(ByteBuffer out, boolean extended, long cookie, long requestOffset,
                                   int contextId, int count) {
        int type = extended ? ReplyType.BLOCK_STATUS_EXT : ReplyType.BLOCK_STATUS;
        chunkHeader(out, extended, ReplyType.FLAG_DONE, type, cookie, requestOffset, blockStatusPayloadSize(extended, count));
        out.putInt(contextId);
        if (extended) {
            out.putInt(count);
        }
    }

    /** One block status descriptor: 32-bit fields, or 64-bit ones with extended headers. */
    public static void blockStatusDescriptor(ByteBuffer out, boolean extended, long length, int status) {
        if (extended) {
            out.putLong(length).putLong(Integer.toUnsignedLong(status));
        } else {
            out.putInt((int) length).putInt(status);
        }
    }
}
