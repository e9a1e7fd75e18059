package io.nbd4j.plugins.pattern;

import io.nbd4j.plugins.common.InProcessDiskHandle;
import io.nbd4j.spi.Handle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Computes the pattern on every read; writes are refused with EPERM by the {@link Handle} default.
 * Stateless; any number of threads.
 */
final class PatternHandle extends InProcessDiskHandle {
    PatternHandle(long size) {
        super(size);
    }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) {
        int index = buffer.position();
        int end = buffer.limit();
        // Unaligned head and tail byte by byte; whole slots as one long each.
        while (index < end && (offset & 7) != 0) {
            buffer.put(index++, byteAt(offset++));
        }
        boolean swap = buffer.order() != ByteOrder.BIG_ENDIAN;
        while (end - index >= 8) {
            buffer.putLong(index, swap ? Long.reverseBytes(offset) : offset);
            index += 8;
            offset += 8;
        }
        while (index < end) {
            buffer.put(index++, byteAt(offset++));
        }
    }

    /** Byte {@code offset} of the disk: one byte of the big-endian offset of its slot. */
    static byte byteAt(long offset) {
        long slot = offset & ~7L;
        int shift = 8 * (7 - (int) (offset & 7));
        return (byte) (slot >>> shift);
    }
}
