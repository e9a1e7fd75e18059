package io.nbd4j.server.transmission;

import io.nbd4j.server.transport.BufferSource;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for read results and write payloads, kept for reuse so that the request path does
 * not allocate (and free) native memory per request. Buffers come in power-of-two size classes from
 * 4 KiB; each class keeps at most a bounded number, so the pool holds a bounded amount of memory.
 *
 * <p>Each class hands out the buffer given back last (a stack, not a queue): that buffer is still in
 * the processor's cache, and a request's payload is written into it twice in a row (by the kernel's
 * socket read, then read again by the plugin's copy). A queue cycled a connection's write payloads
 * through up to 64 buffers (16 MiB of 256 KiB ones), so every socket read wrote into memory the cache
 * no longer held: the kernel's copy from the socket cost 2.3 times nbdkit's, and the server 1.1 times
 * nbdkit's CPU per GiB overwritten (bench/results/20261206-writes.md).
 *
 * <p>Thread-safe and lock-free. A buffer handed out by {@link #acquire} belongs to the caller until
 * it passes it to {@link #release}, after which the caller must not touch it.
 */
public final class BufferPool implements BufferSource {
    private static final int MIN_SHIFT = 12;
    private static final long BYTES_PER_CLASS = 64L << 20;
    private static final int MAX_PER_CLASS = 64;

    private final ConcurrentLinkedDeque<ByteBuffer>[] free;
    private final AtomicInteger[] counts;
    private final int[] limits;

    @SuppressWarnings("unchecked")
    public BufferPool(int largestBuffer) {
        int classes = classOf(Math.max(largestBuffer, 1 << MIN_SHIFT)) + 1;
        free = new ConcurrentLinkedDeque[classes];
        counts = new AtomicInteger[classes];
        limits = new int[classes];
        for (int i = 0; i < classes; i++) {
            free[i] = new ConcurrentLinkedDeque<>();
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
        ByteBuffer b = free[c].pollFirst();
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
            free[c].offerFirst(buffer);
        } else if (c < free.length) {
            counts[c].decrementAndGet();
        }
    }
}
