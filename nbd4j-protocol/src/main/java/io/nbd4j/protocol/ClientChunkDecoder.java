package io.nbd4j.protocol;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the payloads of structured (and extended) reply chunks that a client reads into memory: error
 * chunks, holes and block status. {@code NBD_REPLY_TYPE_OFFSET_DATA} is not decoded here because its data
 * is meant to be read straight into the caller's buffer; only its 8-byte offset prefix is, by
 * {@link #decodeDataOffset}.
 *
 * <p>Every method reads the whole payload from {@code src}'s position to its limit and retains nothing.
 * Stateless: safe to call from any thread.
 */
public final class ClientChunkDecoder {
    /** Offset value of an {@link ErrorChunk} that does not name one. */
    public static final long NO_OFFSET = -1;

    private ClientChunkDecoder() {}

    /**
     * An error chunk ({@code NBD_REPLY_TYPE_ERROR}, {@code ERROR_OFFSET}, or an unknown type with bit 15
     * set).
     *
     * @param offset where the error happened, or {@link #NO_OFFSET}
     */
    public record ErrorChunk(int error, String message, long offset) {}

    /** {@code NBD_REPLY_TYPE_OFFSET_HOLE}: {@code length} bytes at {@code offset} read as zeroes. */
    public record Hole(long offset, long length) {}

    /** One block status descriptor: {@code length} bytes with the context-defined {@code flags}. */
    public record Descriptor(long length, long flags) {}

    /** A block status chunk for one metadata context; descriptors are consecutive from the request offset. */
    public record BlockStatus(int contextId, List<Descriptor> descriptors) {}

    public static ErrorChunk decodeError(int type, ByteBuffer src) throws ProtocolException {
        if (src.remaining() < 6) {
            throw new ProtocolException("error chunk payload of " + src.remaining() + " bytes is shorter than 6");
        }
        int error = src.getInt();
        int messageLength = Short.toUnsignedInt(src.getShort());
        if (messageLength > src.remaining()) {
            throw new ProtocolException("error message length " + messageLength + " exceeds the "
                    + src.remaining() + " payload bytes left");
        }
        String message = readString(src, messageLength);
        long offset = NO_OFFSET;
        if (type == ReplyType.ERROR_OFFSET) {
            if (src.remaining() != 8) {
                throw new ProtocolException("ERROR_OFFSET chunk has " + src.remaining()
                        + " bytes after its message, expected 8");
            }
            offset = src.getLong();
        }
        if (error == 0) {
            throw new ProtocolException("error chunk carries error value 0");
        }
        return new ErrorChunk(error, message, offset);
    }

    /** The absolute export offset at the start of an {@code OFFSET_DATA} payload (its first 8 bytes). */
    public static long decodeDataOffset(ByteBuffer src) {
        return src.getLong();
    }

    /**
     * Decodes {@code NBD_REPLY_TYPE_OFFSET_HOLE}: a 64-bit offset and a 32-bit size. A 64-bit size (16-byte
     * payload), which early drafts of the extended-header extension used, is accepted too.
     */
    public static Hole decodeHole(ByteBuffer src) throws ProtocolException {
        int length = src.remaining();
        if (length != 12 && length != 16) {
            throw new ProtocolException("OFFSET_HOLE payload is " + length + " bytes, expected 12");
        }
        long offset = src.getLong();
        long size = length == 12 ? Integer.toUnsignedLong(src.getInt()) : src.getLong();
        if (size == 0) {
            throw new ProtocolException("OFFSET_HOLE chunk has size 0");
        }
        return new Hole(offset, size);
    }

    /**
     * Decodes {@code NBD_REPLY_TYPE_BLOCK_STATUS} (context id, then 32-bit length and flags pairs) or,
     * when {@code extended}, {@code NBD_REPLY_TYPE_BLOCK_STATUS_EXT} (context id, descriptor count, then
     * 64-bit length and flags pairs).
     */
    public static BlockStatus decodeBlockStatus(ByteBuffer src, boolean extended) throws ProtocolException {
        int payload = src.remaining();
        int fixed = extended ? 8 : 4;
        int each = extended ? 16 : 8;
        if (payload < fixed + each || (payload - fixed) % each != 0) {
            throw new ProtocolException((extended ? "BLOCK_STATUS_EXT" : "BLOCK_STATUS") + " payload of "
                    + payload + " bytes is not " + fixed + " + a positive multiple of " + each);
        }
        int contextId = src.getInt();
        int count = (payload - fixed) / each;
        if (extended) {
            long declared = Integer.toUnsignedLong(src.getInt());
            if (declared != count) {
                throw new ProtocolException("BLOCK_STATUS_EXT declares " + declared + " descriptors but carries "
                        + count);
            }
        }
        List<Descriptor> descriptors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long length = extended ? src.getLong() : Integer.toUnsignedLong(src.getInt());
            long flags = extended ? src.getLong() : Integer.toUnsignedLong(src.getInt());
            if (length == 0) {
                throw new ProtocolException("block status descriptor " + i + " has length 0");
            }
            descriptors.add(new Descriptor(length, flags));
        }
        return new BlockStatus(contextId, List.copyOf(descriptors));
    }

    private static String readString(ByteBuffer src, int length) {
        byte[] bytes = new byte[length];
        src.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
