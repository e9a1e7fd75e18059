package io.nbd4j.plugins.nulldisk;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

/**
 * {@code null}: a disk that discards every write and reads back zeroes. Configured from the main
 * thread; the one handle it hands out is stateless and serves any number of threads.
 */
public final class NullPlugin extends SizedPlugin {
    public NullPlugin() {
        super("Virtual size of the disk (default 0)", 0);
    }

    @Override
    public String name() {
        return "null";
    }

    @Override
    public String description() {
        return "Disk that discards writes and reads zeroes";
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new NullHandle(size());
    }
}
