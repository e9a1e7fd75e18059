package io.nbd4j.plugins.nulldisk;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.util.List;

/**
 * {@code null}: a disk that discards every write and reads back zeroes. Configured from the main
 * thread; the one handle it hands out is stateless and serves any number of threads.
 */
public final class NullPlugin implements Plugin {
    static final Parameter SIZE = new Parameter("size", "SIZE", "Virtual size of the disk (default 0)");

    private long size;

    @Override
    public String name() {
        return "null";
    }

    @Override
    public String description() {
        return "Disk that discards writes and reads zeroes";
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
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new NullHandle(size);
    }
}
