package io.nbd4j.protocol;

/** Metadata context names the server knows. */
public final class MetaContexts {
    public static final String BASE_ALLOCATION = "base:allocation";
    /** Bits of {@code base:allocation}: the range is a hole; the range reads as zeroes. */
    public static final int STATE_HOLE = 1;
    public static final int STATE_ZERO = 2;

    private MetaContexts() {}
}
