package io.nbd4j.plugins.full;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * {@code full}: a disk that reads as zeroes and refuses every change with ENOSPC, like a thin volume
 * whose pool ran out of space. Configured from the main thread; its handle is stateless.
 */
public final class FullPlugin implements Plugin {
    static final Parameter SIZE = new Parameter("size", "SIZE", "Virtual size of the disk (required)");

    private long size = -1;

    @Override
    public String name() {
        return "full";
    }

    @Override
    public String description() {
        return "Disk that reads zeroes and fails every write with ENOSPC";
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
            throw new ConfigException("full: the size parameter is required (e.g. full 1G or size=1G)");
        }
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new FullHandle(size);
    }
}
