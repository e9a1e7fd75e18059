package io.nbd4j.filters.cache;

/**
 * {@code cache-max-size} with its thresholds: once the cache holds {@code highPercent} of {@code maxSize},
 * blocks are dropped until it holds less than {@code lowPercent} of it.
 *
 * @param maxSize     bytes, or {@link #UNLIMITED}'s -1 for no limit
 * @param highPercent {@code cache-high-threshold}, more than {@code lowPercent}
 * @param lowPercent  {@code cache-low-threshold}, more than 0
 */
record CacheLimit(long maxSize, int highPercent, int lowPercent) {
    static final int DEFAULT_HIGH_PERCENT = 95;
    static final int DEFAULT_LOW_PERCENT = 80;
    static final CacheLimit UNLIMITED = new CacheLimit(-1, DEFAULT_HIGH_PERCENT, DEFAULT_LOW_PERCENT);

    boolean limited() {
        return maxSize >= 0;
    }

    /** How many blocks of {@code blockSize} the cache may hold before it starts dropping blocks. */
    long highBlocks(int blockSize) {
        return blocks(highPercent, blockSize);
    }

    /** How many blocks it holds at most once it stops dropping them. */
    long lowBlocks(int blockSize) {
        return blocks(lowPercent, blockSize);
    }

    private long blocks(int percent, int blockSize) {
        // In double: a large size times a large percentage would overflow a long (the cast saturates).
        return (long) (maxSize * (percent / 100.0)) / blockSize;
    }
}
