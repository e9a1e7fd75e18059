package io.nbd4j.spi;

import java.util.Arrays;

/**
 * Where a disk holds data, as sorted, disjoint runs {@code [start, end)}; everything between them
 * reads as zeroes. For a layer that knows its layout up front (a decompressed image, a generated
 * disk) and answers {@link Handle#extents} from it: it is filled once in order with {@link #add},
 * then only read.
 *
 * <p><b>Threads.</b> {@link #add} from one thread, before the runs are shared; once handed to other
 * threads safely (through a final field, a lock or a volatile), every other method may be called by
 * any number of threads at once.
 */
public final class DataRuns {
    private long[] starts;
    private long[] ends;
    private int count;

    public DataRuns() {
        this(16);
    }

    /** Runs with room for {@code expected} of them before growing. */
    public DataRuns(int expected) {
        starts = new long[Math.max(1, expected)];
        ends = new long[starts.length];
    }

    /**
     * Adds {@code [start, end)}, which must begin at or after the end of the last run; a run that
     * begins where the last one ends joins it, and an empty one is ignored.
     */
    public void add(long start, long end) {
        if (end <= start) {
            return;
        }
        if (count > 0 && start < ends[count - 1]) {
            throw new IllegalArgumentException("run " + start + "-" + end + " overlaps or precedes the last one");
        }
        if (count > 0 && ends[count - 1] == start) {
            ends[count - 1] = end;
            return;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** The number of runs. */
    public int count() {
        return count;
    }

    public long start(int run) {
        return starts[run];
    }

    public long end(int run) {
        return ends[run];
    }

    /** The index of the first run that ends after {@code offset}: the run holding it, or the next one; {@link #count()} if none. */
    public int runAfter(long offset) {
        int i = Arrays.binarySearch(ends, 0, count, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Whether {@code [offset, offset + length)} holds no data at all. */
    public boolean isHole(long offset, long length) {
        int run = runAfter(offset);
        return run == count || starts[run] >= offset + length;
    }

    /**
     * Reports {@code [offset, offset + length)} to {@code sink}: runs as {@link Extents#DATA}, the gaps
     * as {@link Extents#HOLE} | {@link Extents#ZERO}; with {@code onlyFirst}, the first extent only.
     */
    public void extents(long length, long offset, boolean onlyFirst, Extents sink) throws NbdException {
        long end = offset + length;
        long pos = offset;
        for (int run = runAfter(offset); pos < end; ) {
            boolean inData = run < count && starts[run] <= pos;
            long to = Math.min(end, inData ? ends[run] : run < count ? starts[run] : end);
            sink.add(pos, to - pos, inData ? Extents.DATA : Extents.HOLE | Extents.ZERO);
            if (onlyFirst) {
                return;
            }
            run += inData ? 1 : 0;
            pos = to;
        }
    }
}
