package io.nbd4j.server.backend;

import java.nio.ByteBuffer;

/**
 * Where an emulated cache request reads to: one buffer for the whole server whose bytes nobody ever
 * reads, so concurrent requests may overwrite each other's data freely. Its size is nbdkit's largest
 * request, the chunk nbdkit emulates cache with, so a plugin sees the same reads under either server.
 * Made on first use, as few servers get an emulated cache request.
 *
 * <p>Thread-safe: each caller gets its own view (position and limit) of the shared memory.
 */
final class CacheSink {
    static final int SIZE = 64 << 20;

    private CacheSink() {}

    /** A view of the first {@code length} bytes ({@code length} at most {@link #SIZE}). */
    static ByteBuffer view(int length) {
        return Holder.SINK.duplicate().clear().limit(length);
    }

    private static final class Holder {
        static final ByteBuffer SINK = ByteBuffer.allocateDirect(SIZE);
    }
}
