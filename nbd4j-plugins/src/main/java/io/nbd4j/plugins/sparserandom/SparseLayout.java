package io.nbd4j.plugins.sparserandom;

import io.nbd4j.spi.ConfigException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where a sparse-random disk holds data: sorted, disjoint, non-adjacent runs of whole blocks
 * ({@link #BLOCK} bytes; the last run may be cut short by the disk's end), everything else a hole.
 *
 * <p>Runs alternate with holes as in a real disk: the length of each data run (in blocks) is drawn
 * from a geometric distribution whose mean is {@code runlength}, and the length of each hole from one
 * whose mean makes data {@code percent}% of the disk on average. Drawing lengths rather than visiting
 * every block makes a terabyte disk cost only its number of runs.
 *
 * <p><b>Threads.</b> Immutable once built; any number of threads.
 */
final class SparseLayout {
    static final int BLOCK = 4096;
    /** More runs than this would take hundreds of megabytes of index: refused at start instead. */
    static final long MAX_RUNS = 1L << 24;

    private final long[] starts;
    private final long[] ends;

    private SparseLayout(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * Draws the layout of a disk of {@code size} bytes.
     *
     * @param percent   the share of data, 0 to 100
     * @param runLength the mean length of a data run in bytes (at least one block is used)
     * @throws ConfigException if the layout would have too many runs to index
     */
    static SparseLayout draw(long size, long seed, double percent, long runLength) throws ConfigException {
        long blocks = size / BLOCK + (size % BLOCK == 0 ? 0 : 1);
        double share = percent / 100;
        double meanData = Math.max(1.0, (double) runLength / BLOCK);
        if (share <= 0 || blocks == 0) {
            return new SparseLayout(new long[0], new long[0]);
        }
        if (share >= 1) {
            return new SparseLayout(new long[] {0}, new long[] {size});
        }
        double expectedRuns = blocks * share / meanData;
        if (expectedRuns > MAX_RUNS) {
            throw new ConfigException("sparse-random: about " + (long) expectedRuns + " runs of data would be needed (at most "
                    + MAX_RUNS + "): use a larger runlength= or a smaller percent=");
        }
        double meanHole = meanData * (1 - share) / share;
        SplittableRandom random = new SplittableRandom(seed);
        Runs runs = new Runs((int) Math.min(MAX_RUNS, (long) (expectedRuns * 1.25) + 16));
        long block = random.nextDouble() < share ? 0 : holeLength(random, meanHole);
        while (block < blocks) {
            long end = Math.min(blocks, block + dataLength(random, meanData));
            runs.add(block * BLOCK, Math.min(size, end * BLOCK));
            block = end + holeLength(random, meanHole);
        }
        return runs.layout();
    }

    /** A length of at least one block with mean {@code mean}. */
    private static long dataLength(SplittableRandom random, double mean) {
        double stay = 1 - 1 / mean;
        return 1 + geometric(random, stay);
    }

    /** A length of zero blocks or more with mean {@code mean} (zero merges two data runs). */
    private static long holeLength(SplittableRandom random, double mean) {
        return geometric(random, mean / (1 + mean));
    }

    /** The number of successes before the first failure, each success having probability {@code p}. */
    private static long geometric(SplittableRandom random, double p) {
        if (p <= 0) {
            return 0;
        }
        double draw = Math.floor(Math.log(1 - random.nextDouble()) / Math.log(p));
        return draw >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) draw;
    }

    /** The index of the first run that ends after {@code offset}, or the number of runs. */
    int runAfter(long offset) {
        int i = Arrays.binarySearch(ends, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    int runs() {
        return starts.length;
    }

    long start(int run) {
        return starts[run];
    }

    long end(int run) {
        return ends[run];
    }

    /** Whether {@code [offset, offset + length)} holds no data at all. */
    boolean isHole(long offset, long length) {
        int run = runAfter(offset);
        return run == starts.length || starts[run] >= offset + length;
    }

    /** Data run bounds collected in order, merging a run that starts where the last ended. */
    private static final class Runs {
        private long[] starts;
        private long[] ends;
        private int count;

        Runs(int capacity) {
            starts = new long[capacity];
            ends = new long[capacity];
        }

        void add(long start, long end) {
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

        SparseLayout layout() {
            return new SparseLayout(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
        }
    }
}
