package io.nbd4j.protocol;

/** Option reply types ({@code NBD_REP_*}); the error types have bit 31 set. */
public final class OptionReply {
    public static final int ACK = 1;
    public static final int SERVER = 2;
    public static final int INFO = 3;
    public static final int META_CONTEXT = 4;

    private static final int ERROR_BIT = 1 << 31;
    public static final int ERR_UNSUP = ERROR_BIT | 1;
    public static final int ERR_POLICY = ERROR_BIT | 2;
    public static final int ERR_INVALID = ERROR_BIT | 3;
    public static final int ERR_PLATFORM = ERROR_BIT | 4;
    public static final int ERR_TLS_REQD = ERROR_BIT | 5;
    public static final int ERR_UNKNOWN = ERROR_BIT | 6;
    public static final int ERR_SHUTDOWN = ERROR_BIT | 7;
    public static final int ERR_BLOCK_SIZE_REQD = ERROR_BIT | 8;
    public static final int ERR_TOO_BIG = ERROR_BIT | 9;
    public static final int ERR_EXT_HEADER_REQD = ERROR_BIT | 10;

    private OptionReply() {}

    public static boolean isError(int type) {
        return (type & ERROR_BIT) != 0;
    }
}
