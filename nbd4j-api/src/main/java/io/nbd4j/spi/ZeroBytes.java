package io.nbd4j.spi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The two questions about zero bytes that filters keep asking of a buffer: does it hold only zeroes
 * (a write past a disk's end, into a protected range, into padding), and fill it with zeroes (a read
 * past the end). Both work on heap and direct buffers alike, look only at the bytes between position
 * and limit, leave position and limit where they were, and allocate nothing.
 *
 * <p>Stateless; safe from any thread.
 */
public final class ZeroBytes {
    /** Compared against in chunks; never written. */
    private static final MemorySegment ZEROES = MemorySegment.ofArray(new byte[64 * 1024]);

    private ZeroBytes() {}

    /** Whether every byte between the buffer's position and limit is zero. */
    public static boolean isZero(ByteBuffer buffer) {
        MemorySegment bytes = MemorySegment.ofBuffer(buffer);
        long length = bytes.byteSize();
        long chunk = ZEROES.byteSize();
        for (long at = 0; at < length; at += chunk) {
            long n = Math.min(chunk, length - at);
            if (MemorySegment.mismatch(bytes, at, at + n, ZEROES, 0, n) != -1) {
                return false;
            }
        }
        return true;
    }

    /** Sets every byte between the buffer's position and limit to zero. */
    public static void fill(ByteBuffer buffer) {
        MemorySegment.ofBuffer(buffer).fill((byte) 0);
    }
}
