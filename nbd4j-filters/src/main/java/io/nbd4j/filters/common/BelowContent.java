package io.nbd4j.filters.common;

import io.nbd4j.spi.Next;
import io.nbd4j.spi.ZeroBytes;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Compares bytes with what the layer below holds, for the filters that let a write through only if it
 * changes nothing (checkwrite everywhere, protect in its ranges). The layer below is read in chunks of
 * at most {@link #CHUNK} bytes into a buffer of the call's own, and the comparison stops at the first
 * difference.
 *
 * <p>Stateless; safe from any thread.
 */
public final class BelowContent {
    /** The largest read made at once, so a 64 MiB request does not cost a 64 MiB buffer. */
    static final int CHUNK = 1 << 20;

    private BelowContent() {}

    /** Whether the layer below holds exactly {@code expected}'s bytes (position to limit) at {@code offset}. */
    public static boolean matches(Next below, ByteBuffer expected, long offset) throws IOException {
        int length = expected.remaining();
        int at = expected.position();
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(length, CHUNK));
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK, length - done);
            below.pread(chunk.clear().limit(n), offset + done, 0);
            if (!chunk.clear().limit(n).equals(expected.slice(at + done, n))) {
                return false;
            }
            done += n;
        }
        return true;
    }

    /** Whether the {@code length} bytes at {@code offset} of the layer below are all zero. */
    public static boolean readsAsZero(Next below, long length, long offset) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(length, CHUNK));
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            below.pread(chunk.clear().limit(n), offset + done, 0);
            if (!ZeroBytes.isZero(chunk.clear().limit(n))) {
                return false;
            }
            done += n;
        }
        return true;
    }
}
