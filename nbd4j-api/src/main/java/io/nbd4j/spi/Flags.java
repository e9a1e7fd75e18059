package io.nbd4j.spi;

/**
 * Bits of the {@code flags} argument of the data calls of {@link Handle}. They are plain ints so that
 * the request path allocates nothing; the values match nbdkit's so that scripts see the same numbers.
 */
public final class Flags {
    /** Zero only: the range may be deallocated as long as it then reads as zeroes (the client did not send NO_HOLE). */
    public static final int MAY_TRIM = 1;
    /** Write, trim, zero: the data must be durable before the call returns (only when {@link FuaMode#NATIVE}). */
    public static final int FUA = 2;
    /** Extents only: the client wants just the first extent. */
    public static final int REQ_ONE = 4;
    /** Zero only: fail at once with {@link NbdError#ENOTSUP} unless zeroing is faster than writing. */
    public static final int FAST_ZERO = 8;

    private Flags() {}

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
