package io.nbd4j.plugins.random;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;

import java.util.List;

/**
 * {@code random}: a disk of repeatable random bytes, for testing copying tools. See the package
 * documentation. Configured on the main thread; handles are immutable.
 */
public final class RandomPlugin extends SizedPlugin {
    private long seed = RandomBytes.freshSeed();

    public RandomPlugin() {
        super("Virtual size of the disk (required; e.g. 1G, up to 2^63-1)");
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "Disk of repeatable random data; writes must match it (for copy tests)";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(sizeParameter(), RandomBytes.SEED);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (RandomBytes.SEED.matches(key)) {
            seed = RandomBytes.parseSeed(key, value);
        } else {
            super.config(key, value);
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new RandomHandle(size(), new RandomBytes(seed));
    }
}
