package io.nbd4j.plugins.sparserandom;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.DataRuns;

import java.util.SplittableRandom;

/**
 * Draws where a sparse-random disk holds data: sorted, disjoint, non-adjacent runs of whole blocks
 * ({@link #BLOCK} bytes; the last run may be cut short by the disk's end), everything else a hole.
 *
 * <p>Runs alternate with holes as in a real disk: the length of each data run (in blocks) is drawn
 * from a geometric distribution whose mean is {@code runlength}, and the length of each hole from one
 * whose mean makes data {@code percent}% of the disk on average. Drawing lengths rather than visiting
 * every block makes a terabyte disk cost only its number of runs.
 *
 * <p>Stateless.
 */
final class SparseLayout {
    static final int BLOCK = 4096;
    /** More runs than this would take hundreds of megabytes of index: refused at start instead. */
    static final long MAX_RUNS = 1L << 24;

    private SparseLayout() {}

    /**
     * Draws the layout of a disk of {@code size} bytes.
     *
     * @param percent   the share of data, 0 to 100
     * @param runLength the mean length of a data run in bytes (at least one block is used)
     * @throws ConfigException if the layout would have too many runs to index
     */
    static DataRuns draw(long size, long seed, double percent, long runLength) throws ConfigException {
        long blocks = size / BLOCK + (size % BLOCK == 0 ? 0 : 1);
        double share = percent / 100;
        double meanData = Math.max(1.0, (double) runLength / BLOCK);
        DataRuns runs = new DataRuns();
        if (share <= 0 || blocks == 0) {
            return runs;
        }
        if (share >= 1) {
            runs.add(0, size);
            return runs;
        }
        double expectedRuns = blocks * share / meanData;
        if (expectedRuns > MAX_RUNS) {
            throw new ConfigException("sparse-random: about " + (long) expectedRuns + " runs of data would be needed (at most "
                    + MAX_RUNS + "): use a larger runlength= or a smaller percent=");
        }
        double meanHole = meanData * (1 - share) / share;
        SplittableRandom random = new SplittableRandom(seed);
        runs = new DataRuns((int) Math.min(MAX_RUNS, (long) (expectedRuns * 1.25) + 16));
        long block = random.nextDouble() < share ? 0 : holeLength(random, meanHole);
        while (block < blocks) {
            long end = Math.min(blocks, block + dataLength(random, meanData));
            runs.add(block * BLOCK, Math.min(size, end * BLOCK));
            block = end + holeLength(random, meanHole);
        }
        return runs;
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
}
