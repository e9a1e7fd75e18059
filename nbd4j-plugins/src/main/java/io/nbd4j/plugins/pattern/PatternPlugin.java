package io.nbd4j.plugins.pattern;

import io.nbd4j.plugins.common.SizedPlugin;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

/**
 * {@code pattern}: a read-only disk in which every 8-byte slot holds its own offset, big-endian.
 * Configured from the main thread; its handle is stateless.
 */
public final class PatternPlugin extends SizedPlugin {
    public PatternPlugin() {
        super("Virtual size of the disk (required; up to 2^63-1)");
    }

    @Override
    public String name() {
        return "pattern";
    }

    @Override
    public String description() {
        return "Read-only disk where each 8-byte slot holds its offset";
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return new PatternHandle(size());
    }
}
