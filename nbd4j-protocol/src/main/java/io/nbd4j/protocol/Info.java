package io.nbd4j.protocol;

/** Information types of {@code NBD_OPT_INFO} / {@code NBD_OPT_GO} ({@code NBD_INFO_*}). */
public final class Info {
    public static final int EXPORT = 0;
    public static final int NAME = 1;
    public static final int DESCRIPTION = 2;
    public static final int BLOCK_SIZE = 3;

    private Info() {}
}
