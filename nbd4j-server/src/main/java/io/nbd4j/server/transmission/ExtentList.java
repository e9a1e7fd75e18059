package io.nbd4j.server.transmission;

import io.nbd4j.spi.Extents;

/**
 * Collects the extents the top layer reports for one request: clipped to the requested range (or,
 * for block status without {@code REQ_ONE}, with the last one allowed to run past it up to a limit,
 * as the protocol allows and nbdkit does), same-type neighbours merged, at most {@code maxCount} kept
 * (1 for {@code REQ_ONE}), none longer than {@code maxLength}.
 *
 * <p>Used by one thread for one request.
 */
final class ExtentList implements Extents {
    /** The protocol asks servers to send at most this many descriptors in one chunk. */
    static final int MAX_DESCRIPTORS = 1 << 20;

    private final long start;
    private final long end;
    private final long limit;
    private final int maxCount;
    private final long maxLength;
    private long[] lengths = new long[4];
    private int[] types = new int[4];
    private int count;
    private long covered;
    private boolean full;

    /** Extents of exactly {@code [start, end)}. */
    ExtentList(long start, long end, int maxCount) {
        this(start, end, end, maxCount, Long.MAX_VALUE);
    }

    /**
     * Extents from {@code start} until one reaches {@code end}; that last one may go on to {@code limit}
     * (at least {@code end}), but no extent is longer than {@code maxLength} (at least {@code end - start}).
     */
    ExtentList(long start, long end, long limit, int maxCount, long maxLength) {
        this.start = start;
        this.end = end;
        this.limit = limit;
        this.maxCount = maxCount;
        this.maxLength = maxLength;
        this.covered = start;
    }

    @Override
    public void add(long offset, long length, int type) {
        long from = Math.max(offset, start);
        long to = Math.min(offset + length, limit);
        if (to <= from || full || from != covered || covered >= end) {
            return;
        }
        if (count > 0 && types[count - 1] == type) {
            long merged = Math.min(lengths[count - 1] + to - from, maxLength);
            to = from - lengths[count - 1] + merged;
            lengths[count - 1] = merged;
        } else if (count == maxCount) {
            full = true;
            return;
        } else {
            if (count == lengths.length) {
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
                types = java.util.Arrays.copyOf(types, count * 2);
            }
            if (to - from > maxLength) {
                to = from + maxLength;
            }
            lengths[count] = to - from;
            types[count] = type;
            count++;
        }
        covered = to;
    }

    int count() {
        return count;
    }

    long length(int i) {
        return lengths[i];
    }

    int type(int i) {
        return types[i];
    }

    /** The first offset after the collected extents. */
    long coveredEnd() {
        return covered;
    }
}
