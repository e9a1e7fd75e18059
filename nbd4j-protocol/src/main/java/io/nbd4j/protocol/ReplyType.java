package io.nbd4j.protocol;

/** Structured reply chunk types ({@code NBD_REPLY_TYPE_*}) and the chunk flag. */
public final class ReplyType {
    public static final int FLAG_DONE = 1;

    public static final int NONE = 0;
    public static final int OFFSET_DATA = 1;
    public static final int OFFSET_HOLE = 2;
    public static final int BLOCK_STATUS = 5;
    public static final int BLOCK_STATUS_EXT = 6;
    public static final int ERROR = (1 << 15) | 1;
    public static final int ERROR_OFFSET = (1 << 15) | 2;

    private ReplyType() {}

    public static boolean isError(int type) {
        return (type & (1 << 15)) != 0;
    }
}
