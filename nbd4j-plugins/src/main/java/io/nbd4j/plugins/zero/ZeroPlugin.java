package io.nbd4j.plugins.zero;

import io.nbd4j.plugins.common.InProcessDiskHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.nio.ByteBuffer;

/**
 * {@code zero}: an empty, read-only disk. No parameters; the one handle is stateless and serves any
 * number of threads.
 */
public final class ZeroPlugin implements Plugin {
    /** Nothing to read, so every answer is trivially the same on every connection. */
    private static final Handle EMPTY = new InProcessDiskHandle(0) {
        @Override
        public void pread(ByteBuffer buffer, long offset, int flags) {
            // The server rejects every read of a 0-byte disk except an empty one, which has nothing to fill.
        }
    };

    @Override
    public String name() {
        return "zero";
    }

    @Override
    public String description() {
        return "Zero-length read-only disk";
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public Handle open(OpenRequest request) {
        return EMPTY;
    }
}
