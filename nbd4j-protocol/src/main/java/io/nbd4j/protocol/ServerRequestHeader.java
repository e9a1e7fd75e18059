package io.nbd4j.protocol;

/**
 * A transmission request header as the server decodes it, in either the compact (28-byte) or the
 * extended (32-byte) layout.
 *
 * @param flags  command flags ({@link CommandFlags})
 * @param type   command type ({@link Command})
 * @param cookie the client's opaque cookie, echoed in every reply
 * @param offset the offset, an unsigned 64-bit value
 * @param length the length: unsigned 32 bits in compact headers, unsigned 64 bits in extended ones
 */
public record ServerRequestHeader(int flags, int type, long cookie, long offset, long length) {

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
