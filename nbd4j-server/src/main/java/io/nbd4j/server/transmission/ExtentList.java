package io.nbd4j.server.transmission;

import io.nbd4j.spi.Extents;

/**
 * Collects the extents the top layer reports for one request: clipped to the requested range,
 * same-type neighbours merged, at most {@code maxCount} kept (1 for {@code REQ_ONE}).
 *
 * <p>Used by one thread for one request.
 */
final class ExtentList implements Extents {
    /** The protocol asks servers to send at most this many descriptors in one chunk. */
    static final int MAX_DESCRIPTORS = 1 << 20;

    private final long start;
    private final long end;
    private final int maxCount;
    private long[] lengths = new long[4];
    private int[] types = new int[4];
    private int count;
    private long covered;
    private boolean full;

    ExtentList(long start, long end, int maxCount) {
        this.start = start;
        this.end = end;
        this.maxCount = maxCount;
        this.covered = start;
    }

    @Override
    public void add(long offset, long length, int type) {
        long from = Math.max(offset, start);
        long to = Math.min(offset + length, end);
        if (to <= from || full || from != covered) {
            return;
        }
        if (count > 0 && types[count - 1] == type) {
            lengths[count - 1] += to - from;
        } else if (count == maxCount) {
            full = true;
            return;
        } else {
            if (count == lengths.length) {
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
                types = java.util.Arrays.copyOf(types, count * 2);
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
