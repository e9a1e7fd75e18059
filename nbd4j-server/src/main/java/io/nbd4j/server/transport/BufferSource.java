package io.nbd4j.server.transport;

import java.nio.ByteBuffer;

/**
 * Where a transport takes its direct buffers from and gives them back to, so that a connection's
 * buffers are reused by the next connection instead of waiting for a garbage collection to free
 * their native memory. A buffer from {@link #acquire} belongs to the caller until {@link #release}.
 */
public interface BufferSource {
    /** A direct buffer with position 0 and limit {@code size}; its capacity may be larger. */
    ByteBuffer acquire(int size);

    /** Gives a buffer back; the caller must not touch it afterwards. */
    void release(ByteBuffer buffer);

    /** Fresh buffers every time, freed by the garbage collector: for transports made without a pool. */
    BufferSource UNPOOLED = new BufferSource() {
        @Override
        public ByteBuffer acquire(int size) {
            return ByteBuffer.allocateDirect(size);
        }

        @Override
        public void release(ByteBuffer buffer) {
            // dropped: the garbage collector frees it
        }
    };
}
