package io.nbd4j.protocol;

/** Global handshake flags (server) and client flags. */
public final class HandshakeFlags {
    public static final int FIXED_NEWSTYLE = 1;
    public static final int NO_ZEROES = 1 << 1;

    public static final int C_FIXED_NEWSTYLE = 1;
    public static final int C_NO_ZEROES = 1 << 1;

    private HandshakeFlags() {}
}
