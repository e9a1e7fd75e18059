package io.nbd4j.plugins.full;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

/**
 * {@code full}: a disk that reads as zeroes and refuses every change with ENOSPC, like a thin volume
 * whose pool ran out of space. Configured from the main thread; its handle is stateless.
 */
public final class FullPlugin extends SizedPlugin {
    public FullPlugin() {
        super("Virtual size of the disk (required)");
    }

    @Override
    public String name() {
        return "full";
    }

    @Override
    public String description() {
        return "Disk that reads zeroes and fails every write with ENOSPC";
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new FullHandle(size());
    }
}
