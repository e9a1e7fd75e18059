package io.nbd4j.filters.readahead;

/**
 * The readahead window of one connection, adapted to how it reads, as nbdkit's filter does: it starts
 * at 32 KiB, doubles (up to 4 MiB) while reads go beyond what was last prefetched, stays while reads move
 * forward inside it, and falls back to 32 KiB when a read goes backwards.
 *
 * <p><b>Threads.</b> Thread-safe; {@link #next} is one short critical section, so parallel readers
 * never wait for each other's reads.
 */
final class Window {
    static final long MIN = 32 * 1024;
    static final long MAX = 4 * 1024 * 1024;

    private long size = MIN;
    private long lastOffset;
    private long lastPrefetchEnd;

    /**
     * Accounts for a read of {@code count} bytes at {@code offset} on a disk of {@code diskSize} bytes
     * and returns the range to prefetch after it, {@code {offset, length}}, or null past the end.
     */
    synchronized long[] next(long offset, long count, long diskSize) {
        long start = offset + count;
        long length = start < diskSize ? Math.min(size, diskSize - start) : 0;
        if (lastPrefetchEnd < offset) {
            size = Math.min(size * 2, MAX);
        } else if (lastOffset >= offset) {
            size = MIN;
        }
        lastOffset = offset;
        lastPrefetchEnd = start + length;
        return length > 0 ? new long[] {start, length} : null;
    }
}
