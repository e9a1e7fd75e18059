package io.nbd4j.plugins.sparserandom;

import io.nbd4j.plugins.random.RandomBytes;

import java.nio.ByteBuffer;

/**
 * What the data blocks of a sparse-random disk hold: by default one random non-zero byte repeated
 * over each block (cheap to make and to check), or with {@code random-content=true} random bytes
 * throughout. Immutable; any number of threads.
 */
final class BlockContent {
    private final long seed;
    private final RandomBytes randomBytes;

    /** @param everyByteRandom {@code random-content=true} */
    BlockContent(long seed, boolean everyByteRandom) {
        this.seed = seed;
        this.randomBytes = everyByteRandom ? new RandomBytes(seed) : null;
    }

    /** The byte that fills block {@code block}: 1 to 255, never zero, so data never looks like a hole. */
    byte blockByte(long block) {
        return (byte) (1 + Long.remainderUnsigned(RandomBytes.hash(~seed, block), 255));
    }

    /** Fills {@code length} bytes of {@code buffer} from absolute {@code index} with the data at {@code offset}. */
    void fill(ByteBuffer buffer, int index, long offset, int length) {
        if (randomBytes != null) {
            randomBytes.fill(buffer.slice(index, length), offset);
            return;
        }
        int end = index + length;
        while (index < end) {
            long block = offset / SparseLayout.BLOCK;
            int n = (int) Math.min(end - index, (block + 1) * SparseLayout.BLOCK - offset);
            byte b = blockByte(block);
            for (int i = 0; i < n; i++) {
                buffer.put(index + i, b);
            }
            index += n;
            offset += n;
        }
    }

    /** Whether {@code length} bytes of {@code buffer} from absolute {@code index} equal the data at {@code offset}. */
    boolean matches(ByteBuffer buffer, int index, long offset, int length) {
        if (randomBytes != null) {
            return randomBytes.matches(buffer.slice(index, length), offset);
        }
        int end = index + length;
        while (index < end) {
            long block = offset / SparseLayout.BLOCK;
            int n = (int) Math.min(end - index, (block + 1) * SparseLayout.BLOCK - offset);
            byte b = blockByte(block);
            for (int i = 0; i < n; i++) {
                if (buffer.get(index + i) != b) {
                    return false;
                }
            }
            index += n;
            offset += n;
        }
        return true;
    }
}
