package io.nbd4j.plugins.pattern;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * {@code pattern}: a read-only disk in which every 8-byte slot holds its own offset, big-endian.
 * Configured from the main thread; its handle is stateless.
 */
public final class PatternPlugin implements Plugin {
    static final Parameter SIZE = new Parameter("size", "SIZE", "Virtual size of the disk (required; up to 2^63-1)");

    private long size = -1;

    @Override
    public String name() {
        return "pattern";
    }

    @Override
    public String description() {
        return "Read-only disk where each 8-byte slot holds its offset";
    }

    @Override
    public String magicConfigKey() {
        return SIZE.key();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(SIZE);
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (key.equals(SIZE.key())) {
            size = Values.parseSize(key, value);
        } else {
            Plugin.super.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (size < 0) {
            throw new ConfigException("pattern: the size parameter is required (e.g. pattern 1G or size=1G)");
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new PatternHandle(size);
    }
}
