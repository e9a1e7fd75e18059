package io.nbd4j.protocol;

import java.nio.ByteBuffer;

/**
 * Encodes the header of a transmission-phase request as a client sends it, in the compact form
 * ({@code NBD_REQUEST_MAGIC}, 28 bytes, 32-bit length) or, once extended headers are negotiated, the
 * extended form ({@code NBD_EXTENDED_REQUEST_MAGIC}, 32 bytes, 64-bit length). A write payload follows
 * the header on the wire and is not written here.
 *
 * <p>Stateless: safe to call from any thread.
 */
public final class ClientRequestEncoder {
    public static final int COMPACT_HEADER_SIZE = 28;
    public static final int EXTENDED_HEADER_SIZE = 32;
    private static final long MAX_COMPACT_LENGTH = 0xFFFF_FFFFL;

    private ClientRequestEncoder() {}

    public static int headerSize(boolean extended) {
        return extended ? EXTENDED_HEADER_SIZE : COMPACT_HEADER_SIZE;
    }

    /** Whether {@code length} can be expressed in a request of the given form. */
    public static boolean fitsLength(boolean extended, long length) {
        return length >= 0 && (extended || length <= MAX_COMPACT_LENGTH);
    }

    /**
     * Writes one request header at {@code dst}'s position and advances it by {@link #headerSize}.
     * Nothing of {@code dst} is retained.
     *
     * @param length the effect length of the command (the payload length for {@code NBD_CMD_WRITE}); a
     *     compact header carries only its low 32 bits, so it must satisfy {@link #fitsLength}
     * @throws IllegalArgumentException if {@code length} does not fit the chosen form
     */
    public static void encode(ByteBuffer dst, boolean extended, int flags, int type, long cookie,
                              long offset, long length) {
        if (!fitsLength(extended, length)) {
            throw new IllegalArgumentException("length " + Long.toUnsignedString(length)
                    + " does not fit a " + (extended ? "extended" : "compact (32-bit)") + " request header");
        }
        dst.putInt(extended ? Magic.EXTENDED_REQUEST : Magic.REQUEST);
        dst.putShort((short) flags);
        dst.putShort((short) type);
        dst.putLong(cookie);
        dst.putLong(offset);
        if (extended) {
            dst.putLong(length);
        } else {
            dst.putInt((int) length);
        }
    }
}
