package io.nbd4j.plugins.sparserandom;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.plugins.random.RandomBytes;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.DataRuns;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * {@code sparse-random}: a disk with runs of random data between holes, shaped like a virtual
 * machine's disk, for testing and benchmarking copying tools. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; the layout is drawn in {@link #getReady}, before
 * any connection, and is immutable afterwards.
 */
public final class SparseRandomPlugin extends SizedPlugin {
    private static final Parameter PERCENT = new Parameter("percent", "N",
            "share of the disk that holds data, 0 to 100 (default 10)");
    private static final Parameter RUNLENGTH = new Parameter("runlength", "SIZE",
            "mean length of a run of data (default 16M)");
    private static final Parameter RANDOM_CONTENT = new Parameter("random-content", "true|false",
            "random bytes throughout each data block instead of one repeated non-zero byte (default false)");

    private long seed = RandomBytes.freshSeed();
    private double percent = 10;
    private long runLength = 16L << 20;
    private boolean randomContent;
    private DataRuns layout;

    public SparseRandomPlugin() {
        super("Virtual size of the disk (required; e.g. 10G, up to 2^63-1)");
    }

    @Override
    public String name() {
        return "sparse-random";
    }

    @Override
    public String description() {
        return "Sparse disk with runs of repeatable random data; writes must match it (for copy tests)";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(sizeParameter(), RandomBytes.SEED, PERCENT, RUNLENGTH, RANDOM_CONTENT);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (RandomBytes.SEED.matches(key)) {
            seed = RandomBytes.parseSeed(key, value);
        } else if (PERCENT.matches(key)) {
            percent = parsePercent(key, value);
        } else if (RUNLENGTH.matches(key)) {
            runLength = Values.parseSize(key, value);
            if (runLength < 1) {
                throw new ConfigException(key + ": the run length must be at least 1 byte");
            }
        } else if (RANDOM_CONTENT.matches(key)) {
            randomContent = Values.parseBool(key, value);
        } else {
            super.config(key, value);
        }
    }

    private static double parsePercent(String key, String value) throws ConfigException {
        double p;
        try {
            p = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": could not parse '" + value + "' (expected a number from 0 to 100)", e);
        }
        if (!(p >= 0 && p <= 100)) {
            throw new ConfigException(key + ": " + value + " is out of range (expected 0 to 100)");
        }
        return p;
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) throws ConfigException {
        layout = SparseLayout.draw(size(), seed, percent, runLength);
    }

    @Override
    public Handle open(OpenRequest request) {
        return new SparseRandomHandle(size(), layout, new BlockContent(seed, randomContent));
    }
}
