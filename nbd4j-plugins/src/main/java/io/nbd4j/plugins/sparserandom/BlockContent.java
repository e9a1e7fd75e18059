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
        eachBlock(index, offset, length, (at, n, b) -> {
            for (int i = 0; i < n; i++) {
                buffer.put(at + i, b);
            }
            return true;
        });
    }

    /** Whether {@code length} bytes of {@code buffer} from absolute {@code index} equal the data at {@code offset}. */
    boolean matches(ByteBuffer buffer, int index, long offset, int length) {
        if (randomBytes != null) {
            return randomBytes.matches(buffer.slice(index, length), offset);
        }
        return eachBlock(index, offset, length, (at, n, b) -> {
            for (int i = 0; i < n; i++) {
                if (buffer.get(at + i) != b) {
                    return false;
                }
            }
            return true;
        });
    }

    /** One block's share of a buffer: {@code n} bytes from absolute {@code index} that should all be {@code b}. */
    private interface BlockPiece {
        boolean apply(int index, int n, byte b);
    }

    /** Hands {@code piece} each block's share of {@code [index, index + length)} in turn, stopping at the first false. */
    private boolean eachBlock(int index, long offset, int length, BlockPiece piece) {
        int end = index + length;
        while (index < end) {
            long block = offset / SparseLayout.BLOCK;
            int n = (int) Math.min(end - index, (block + 1) * SparseLayout.BLOCK - offset);
            if (!piece.apply(index, n, blockByte(block))) {
                return false;
            }
            index += n;
            offset += n;
        }
        return true;
    }
}
