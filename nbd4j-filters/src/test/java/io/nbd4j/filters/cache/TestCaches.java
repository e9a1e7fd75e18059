package io.nbd4j.filters.cache;

/** Cache filters with settings the parameters refuse (limits of a few blocks), for tests in other packages. */
public final class TestCaches {
    private TestCaches() {}

    /** A writeback cache of {@code blockSize} blocks that starts dropping them once it holds {@code highBlocks}. */
    public static CacheFilter writebackHolding(int blockSize, int highBlocks) {
        return new CacheFilter(new CacheSettings(WriteMode.WRITEBACK, blockSize, () -> false,
                new CacheLimit((long) highBlocks * blockSize, 100, 50)));
    }
}
