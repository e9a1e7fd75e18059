package io.nbd4j.protocol;

/** The 16-bit per-export transmission flags ({@code NBD_FLAG_*}). */
public final class TransmissionFlags {
    public static final int HAS_FLAGS = 1;
    public static final int READ_ONLY = 1 << 1;
    public static final int SEND_FLUSH = 1 << 2;
    public static final int SEND_FUA = 1 << 3;
    public static final int ROTATIONAL = 1 << 4;
    public static final int SEND_TRIM = 1 << 5;
    public static final int SEND_WRITE_ZEROES = 1 << 6;
    public static final int SEND_DF = 1 << 7;
    public static final int CAN_MULTI_CONN = 1 << 8;
    public static final int SEND_RESIZE = 1 << 9;
    public static final int SEND_CACHE = 1 << 10;
    public static final int SEND_FAST_ZERO = 1 << 11;
    public static final int BLOCK_STAT_PAYLOAD = 1 << 12;

    private TransmissionFlags() {}
}
