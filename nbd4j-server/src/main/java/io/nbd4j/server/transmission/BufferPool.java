package io.nbd4j.server.transmission;

import io.nbd4j.server.transport.BufferSource;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for read results and write payloads, kept for reuse so that the request path does
 * not allocate (and free) native memory per request. Buffers come in power-of-two size classes from
 * 4 KiB; each class keeps at most a bounded number, so the pool holds a bounded amount of memory.
 *
 * <p>Thread-safe and lock-free. A buffer handed out by {@link #acquire} belongs to the caller until
 * it passes it to {@link #release}, after which the caller must not touch it.
 */
public final class BufferPool implements BufferSource {
    private static final int MIN_SHIFT = 12;
    private static final long BYTES_PER_CLASS = 64L << 20;
    private static final int MAX_PER_CLASS = 64;

    private final ConcurrentLinkedQueue<ByteBuffer>[] free;
    private final AtomicInteger[] counts;
    private final int[] limits;

    @SuppressWarnings("unchecked")
    public BufferPool(int largestBuffer) {
        int classes = classOf(Math.max(largestBuffer, 1 << MIN_SHIFT)) + 1;
        free = new ConcurrentLinkedQueue[classes];
        counts = new AtomicInteger[classes];
        limits = new int[classes];
        for (int i = 0; i < classes; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
            counts[i] = new AtomicInteger();
            limits[i] = (int) Math.clamp(BYTES_PER_CLASS >> (i + MIN_SHIFT), 2, MAX_PER_CLASS);
        }
    }

    private static int classOf(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1 << MIN_SHIFT) - 1);
        return shift - MIN_SHIFT;
    }

    /** A buffer with position 0 and limit {@code size}; its capacity may be larger. */
    @Override
    public ByteBuffer acquire(int size) {
        int c = classOf(size);
        if (c >= free.length) {
            return ByteBuffer.allocateDirect(size);
        }
        ByteBuffer b = free[c].poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(1 << (c + MIN_SHIFT));
        } else {
            counts[c].decrementAndGet();
        }
        return b.clear().limit(size);
    }

    /** Gives a buffer back; buffers the pool did not hand out, or that do not fit, are dropped. */
    @Override
    public void release(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || Integer.bitCount(buffer.capacity()) != 1) {
            return;
        }
        int c = classOf(buffer.capacity());
        if (c < free.length && counts[c].incrementAndGet() <= limits[c]) {
            free[c].offer(buffer);
        } else if (c < free.length) {
            counts[c].decrementAndGet();
        }
    }
}
