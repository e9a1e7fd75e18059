package io.nbd4j.filters.blocksize;

import io.nbd4j.spi.BlockSize;

/**
 * The limits one connection's requests below are held to, from the configured ones and what the layer
 * below declares: the larger of the two minimums; {@code maxdata} no more than the layer's maximum.
 *
 * @param minblock alignment of every request below, a power of 2
 * @param maxdata  largest read, write or cache request below, a multiple of {@code minblock}
 * @param maxlen   largest trim, zero or extents request below, a multiple of {@code minblock}
 */
record Limits(long minblock, long maxdata, long maxlen) {
    private static final long DEFAULT_MAXDATA = 64L << 20;
    private static final long UINT32_LIMIT = 1L << 32;

    static Limits of(BlocksizeFilter.Configured configured, BlockSize below) {
        long minblock = Math.max(Math.max(configured.minblock(), 1), below == null ? 1 : below.minimum());
        long maxdata = configured.maxdata() != 0 ? configured.maxdata()
                : configured.maxlen() != 0 ? Math.min(configured.maxlen(), DEFAULT_MAXDATA) : DEFAULT_MAXDATA;
        if (below != null) {
            maxdata = Math.min(maxdata, below.maximum());
        }
        // At least one block, so that splitting always makes progress.
        maxdata = Math.max(minblock, maxdata - maxdata % minblock);
        long maxlen = configured.maxlen() == 0 ? UINT32_LIMIT - minblock
                : Math.max(minblock, configured.maxlen() - configured.maxlen() % minblock);
        return new Limits(minblock, maxdata, maxlen);
    }

    long roundDown(long n) {
        return n - n % minblock;
    }

    long roundUp(long n) {
        return roundDown(n + minblock - 1);
    }
}
