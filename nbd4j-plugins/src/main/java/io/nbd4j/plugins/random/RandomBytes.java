package io.nbd4j.plugins.random;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A disk's worth of repeatable, insecure random bytes that can be computed at any offset without
 * computing what comes before: the 8 bytes of each aligned slot are one 64-bit hash of the seed and
 * the slot's number (SplitMix64's finaliser, a bijection with good avalanche). Used by the random and
 * sparse-random plugins. Immutable; any number of threads.
 */
public final class RandomBytes {
    /** The {@code seed=} parameter both plugins declare. */
    public static final Parameter SEED = new Parameter("seed", "SEED",
            "seed of the random data, so that runs give the same disk (default: chosen at start)");

    private final long seed;

    public RandomBytes(long seed) {
        this.seed = seed;
    }

    /** Parses {@code seed=}: a whole number from 0 to 2^63-1. */
    public static long parseSeed(String key, String value) throws ConfigException {
        return Values.parseInteger(key, value, 0, Long.MAX_VALUE);
    }

    /** A seed for a server started without {@code seed=}. */
    public static long freshSeed() {
        return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    }

    /** A 64-bit hash of {@code seed} and {@code n}: the same inputs always give the same value. */
    public static long hash(long seed, long n) {
        long z = seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The byte at {@code offset}. */
    public byte at(long offset) {
        return (byte) (hash(seed, offset >>> 3) >>> (8 * (offset & 7)));
    }

    /** Fills {@code buffer} (position to limit, the position untouched) with the bytes at {@code offset}. */
    public void fill(ByteBuffer buffer, long offset) {
        int index = buffer.position();
        int end = buffer.limit();
        while (index < end && (offset & 7) != 0) {
            buffer.put(index++, at(offset++));
        }
        boolean swap = buffer.order() != ByteOrder.LITTLE_ENDIAN;
        while (end - index >= 8) {
            long word = hash(seed, offset >>> 3);
            buffer.putLong(index, swap ? Long.reverseBytes(word) : word);
            index += 8;
            offset += 8;
        }
        while (index < end) {
            buffer.put(index++, at(offset++));
        }
    }

    /** Whether {@code buffer} (position to limit) holds exactly the bytes at {@code offset}. */
    public boolean matches(ByteBuffer buffer, long offset) {
        int index = buffer.position();
        int end = buffer.limit();
        while (index < end && (offset & 7) != 0) {
            if (buffer.get(index++) != at(offset++)) {
                return false;
            }
        }
        boolean swap = buffer.order() != ByteOrder.LITTLE_ENDIAN;
        while (end - index >= 8) {
            long word = hash(seed, offset >>> 3);
            if (buffer.getLong(index) != (swap ? Long.reverseBytes(word) : word)) {
                return false;
            }
            index += 8;
            offset += 8;
        }
        while (index < end) {
            if (buffer.get(index++) != at(offset++)) {
                return false;
            }
        }
        return true;
    }
}
