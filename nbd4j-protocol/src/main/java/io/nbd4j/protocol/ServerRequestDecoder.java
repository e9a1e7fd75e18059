package io.nbd4j.protocol;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Decodes transmission request headers on the server side. Stateless: callers pass a buffer that
 * holds exactly one header (big-endian, position at its first byte); the position is advanced past it.
 */
public final class ServerRequestDecoder {
    /** Bytes of a compact request header. */
    public static final int COMPACT_SIZE = 28;
    /** Bytes of an extended request header. */
    public static final int EXTENDED_SIZE = 32;

    private ServerRequestDecoder() {}

    /** The header size for the negotiated header style. */
    public static int headerSize(boolean extended) {
        return extended ? EXTENDED_SIZE : COMPACT_SIZE;
    }

    /**
     * Decodes one header.
     *
     * @throws ProtocolException if the magic does not match the negotiated style, or the buffer is short
     */
    public static ServerRequestHeader decode(ByteBuffer buffer, boolean extended) throws ProtocolException {
        int size = headerSize(extended);
        if (buffer.remaining() < size) {
            throw new ProtocolException("truncated request header: " + buffer.remaining() + " of " + size + " bytes");
        }
        int magic = buffer.getInt();
        int expected = extended ? Magic.EXTENDED_REQUEST : Magic.REQUEST;
        if (magic != expected) {
            throw new ProtocolException(String.format("bad request magic 0x%08x (expected 0x%08x)", magic, expected));
        }
        int flags = Short.toUnsignedInt(buffer.getShort());
        int type = Short.toUnsignedInt(buffer.getShort());
        long cookie = buffer.getLong();
        long offset = buffer.getLong();
        long length = extended ? buffer.getLong() : Integer.toUnsignedLong(buffer.getInt());
        return new ServerRequestHeader(flags, type, cookie, offset, length);
    }
}
