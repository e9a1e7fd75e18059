package io.nbd4j.plugins.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fills buffers with zero bytes without allocating: the read path of every plugin whose holes read as
 * zeroes (memory, data, null, full). Stateless; safe from any thread.
 */
public final class Zeroes {
    /** The longest {@link #view}: longer reads are rare, and with structured replies go out as holes. */
    public static final int VIEW_MAX_BYTES = 64 * 1024;
    /** Shared source of zeroes for direct buffers and views; read-only, and never repositioned (absolute gets and slices only). */
    private static final ByteBuffer ZERO_SOURCE = ByteBuffer.allocateDirect(VIEW_MAX_BYTES).asReadOnlyBuffer();

    private Zeroes() {}

    /** Writes {@code length} zero bytes into {@code buffer} from absolute {@code index}; position is untouched. */
    public static void fill(ByteBuffer buffer, int index, int length) {
        if (buffer.hasArray()) {
            int from = buffer.arrayOffset() + index;
            Arrays.fill(buffer.array(), from, from + length, (byte) 0);
            return;
        }
        int chunk = ZERO_SOURCE.capacity();
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            buffer.put(index + done, ZERO_SOURCE, 0, n);
        }
    }

    /**
     * {@code length} zero bytes as a read-only buffer (position 0, limit {@code length}) that stays
     * valid for good, for {@link io.nbd4j.spi.Handle#readView}; {@code null} when {@code length} is
     * more than {@link #VIEW_MAX_BYTES}.
     */
    public static ByteBuffer view(int length) {
        return length <= VIEW_MAX_BYTES ? ZERO_SOURCE.slice(0, length) : null;
    }

    /** Zeroes the bytes between {@code buffer}'s position and limit; position is untouched. */
    public static void fill(ByteBuffer buffer) {
        fill(buffer, buffer.position(), buffer.remaining());
    }
}
