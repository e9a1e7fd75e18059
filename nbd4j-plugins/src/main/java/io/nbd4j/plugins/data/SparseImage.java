package io.nbd4j.plugins.data;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A disk image under construction while the data parameter is parsed: fixed-size chunks that exist
 * only where something was written, so {@code @0x7fff00000000 1} costs one chunk. Used by the parser
 * on the main thread only.
 */
final class SparseImage {
    static final int CHUNK = 4096;
    private static final byte[] ZERO_CHUNK = new byte[CHUNK];

    private final TreeMap<Long, byte[]> chunks = new TreeMap<>();

    /** Stores {@code src[from, from + length)} at {@code offset}. */
    void write(long offset, byte[] src, int from, int length) {
        while (length > 0) {
            int within = (int) (offset % CHUNK);
            int n = Math.min(length, CHUNK - within);
            System.arraycopy(src, from, chunks.computeIfAbsent(offset / CHUNK, k -> new byte[CHUNK]), within, n);
            offset += n;
            from += n;
            length -= n;
        }
    }

    /** Makes {@code [offset, offset + length)} zero again. */
    void clear(long offset, long length) {
        long end = offset + length;
        long firstWhole = (offset + CHUNK - 1) / CHUNK;
        long endWhole = end / CHUNK;
        if (firstWhole < endWhole) {
            chunks.subMap(firstWhole, endWhole).clear();
        }
        zeroWithinChunk(offset, Math.min(end, firstWhole * CHUNK));
        zeroWithinChunk(Math.max(offset, endWhole * CHUNK), end);
    }

    /**
     * Replaces {@code [at, at + (to - from))} with bytes {@code [from, to)} of {@code source}: as in
     * nbdkit, an expression overwrites its whole extent, including the zeroes it never wrote.
     */
    void overlay(SparseImage source, long from, long to, long at) {
        if (to <= from) {
            return;
        }
        clear(at, to - from);
        long shift = at - from;
        for (Map.Entry<Long, byte[]> e : source.chunks.subMap(from / CHUNK, true, (to - 1) / CHUNK, true).entrySet()) {
            if (isZero(e.getValue())) {
                // The target is already clear; skipping zeroes keeps "0*1000000000" from filling the heap.
                continue;
            }
            long chunkStart = e.getKey() * CHUNK;
            long start = Math.max(from, chunkStart);
            long end = Math.min(to, chunkStart + CHUNK);
            write(start + shift, e.getValue(), (int) (start - chunkStart), (int) (end - start));
        }
    }

    /** Visits the chunks holding at least one non-zero byte, in ascending order. */
    void forEachNonZeroChunk(ChunkVisitor visitor) throws java.io.IOException {
        for (Map.Entry<Long, byte[]> e : chunks.entrySet()) {
            if (!isZero(e.getValue())) {
                visitor.visit(e.getKey() * CHUNK, e.getValue());
            }
        }
    }

    @FunctionalInterface
    interface ChunkVisitor {
        void visit(long offset, byte[] chunk) throws java.io.IOException;
    }

    private static boolean isZero(byte[] chunk) {
        return Arrays.equals(chunk, ZERO_CHUNK);
    }

    private void zeroWithinChunk(long from, long to) {
        if (from < to) {
            byte[] chunk = chunks.get(from / CHUNK);
            if (chunk != null) {
                Arrays.fill(chunk, (int) (from % CHUNK), (int) (from % CHUNK + (to - from)), (byte) 0);
            }
        }
    }
}
