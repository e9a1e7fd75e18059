package io.nbd4j.filters.cache;

/**
 * Where the bytes of each cached block live in the cache file and, for a cache with a size limit, which
 * blocks it drops. {@link BlockCache} calls {@link #place} and {@link #released} with the block's lock held;
 * the reclaim calls ({@link #reclaiming}, {@link #victim}, {@link #keep}) come from one reclaiming thread
 * at a time.
 */
interface Residency {
    /** The file position of the block's bytes; a block the cache did not hold yet is given a place. */
    long place(int block);

    /** The block was read or written: a hint for the choice of the next block to drop. */
    void touched(int block);

    /** The block is no longer held; its place may go to another block. */
    void released(int block);

    /** Whether a reclaim would drop anything now; a hint read without any lock. */
    boolean full();

    /** Whether blocks should be dropped now: from the high threshold on until below the low one. */
    boolean reclaiming();

    /** The next block to drop, taken out of the choice until {@link #released} or {@link #keep}; -1 if none. */
    int victim();

    /** Puts back a block that {@link #victim} chose but that could not be dropped. */
    void keep(int block);

    /** Every block at its own offset in a sparse file, never dropped: the cache may grow to the export's size. */
    record Unlimited(int blockSize) implements Residency {
        @Override public long place(int block) { return (long) block * blockSize; }
        @Override public void touched(int block) {}
        @Override public void released(int block) {}
        @Override public boolean full() { return false; }
        @Override public boolean reclaiming() { return false; }
        @Override public int victim() { return -1; }
        @Override public void keep(int block) {}
    }
}
