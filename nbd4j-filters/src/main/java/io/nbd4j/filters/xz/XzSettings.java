package io.nbd4j.filters.xz;

/**
 * The xz filter's parameters. Immutable.
 *
 * @param maxBlock the largest uncompressed block a file may have ({@code xz-max-block})
 * @param maxDepth how many decompressed blocks a connection keeps ({@code xz-max-depth})
 */
record XzSettings(long maxBlock, int maxDepth) {
    static final XzSettings DEFAULTS = new XzSettings(512L << 20, 8);
}
