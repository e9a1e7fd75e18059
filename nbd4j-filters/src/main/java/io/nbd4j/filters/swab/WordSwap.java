package io.nbd4j.filters.swab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reverses the byte order of each word of a buffer, eight bytes at a time where it can. A word size of
 * one byte changes nothing.
 *
 * <p>Immutable; safe from any thread.
 */
final class WordSwap {
    private static final long EVEN_BYTES = 0x00ff00ff00ff00ffL;

    private final int wordBytes;

    private WordSwap(int wordBytes) {
        this.wordBytes = wordBytes;
    }

    static WordSwap of(int bits) {
        return new WordSwap(bits / 8);
    }

    /** The word size in bytes: the alignment every request must have. */
    int wordBytes() {
        return wordBytes;
    }

    /**
     * Writes into {@code to} (from its position) the bytes of {@code from} (position to limit) with each
     * word reversed. The two may be the same buffer. A length that is not a whole number of words is the
     * caller's error. Positions and limits are left as they were.
     */
    void swap(ByteBuffer from, ByteBuffer to) {
        if (wordBytes == 1) {
            if (from != to) {
                to.put(to.position(), from, from.position(), from.remaining());
            }
            return;
        }
        ByteBuffer in = from.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = to.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.remaining();
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            out.putLong(i, swapLong(in.getLong(i)));
        }
        for (; i < length; i += wordBytes) {
            switch (wordBytes) {
                case 2 -> out.putShort(i, Short.reverseBytes(in.getShort(i)));
                case 4 -> out.putInt(i, Integer.reverseBytes(in.getInt(i)));
                default -> throw new IllegalArgumentException("a length of " + length + " is not a whole number of words");
            }
        }
    }

    /** Eight bytes, read little-endian, with each word reversed. */
    private long swapLong(long x) {
        return switch (wordBytes) {
            case 2 -> ((x & EVEN_BYTES) << 8) | ((x >>> 8) & EVEN_BYTES);
            case 4 -> Long.rotateLeft(Long.reverseBytes(x), 32);
            default -> Long.reverseBytes(x);
        };
    }
}
