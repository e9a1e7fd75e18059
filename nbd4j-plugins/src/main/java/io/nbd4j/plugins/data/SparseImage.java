package io.nbd4j.plugins.data;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A disk image under construction: 4 KiB chunks that exist only where something was written, so
 * {@code @1T 1} costs one chunk. A chunk once written stays allocated even if it holds only zeroes
 * (as nbdkit's sparse allocator keeps a page), until a zero or blit clears it; this is what lets the
 * served disk report written zeroes as allocated ({@link DataHandle}). Used on one thread.
 */
final class SparseImage {
    static final int CHUNK = 4096;
    /** Written chunks one image may hold: half the heap, so that a mistake fails cleanly instead of with an OutOfMemoryError. */
    static final long MAX_CHUNKS = Runtime.getRuntime().maxMemory() / 2 / CHUNK;
    private static final byte[] ZERO_CHUNK = new byte[CHUNK];

    private final TreeMap<Long, byte[]> chunks = new TreeMap<>();

    /** Stores {@code src[from, from + length)} at {@code offset}, allocating the chunks it touches. */
    void write(long offset, byte[] src, int from, int length) {
        while (length > 0) {
            int within = (int) (offset % CHUNK);
            int n = Math.min(length, CHUNK - within);
            System.arraycopy(src, from, chunk(offset / CHUNK), within, n);
            offset += n;
            from += n;
            length -= n;
        }
    }

    /** {@code length} copies of {@code value} at {@code offset}; a fill of zeroes is a {@link #zero}. */
    void fill(long offset, long length, byte value) {
        if (value == 0) {
            zero(offset, length);
            return;
        }
        requireRoom(Math.ceilDiv(length, CHUNK));
        long end = offset + length;
        while (offset < end) {
            int within = (int) (offset % CHUNK);
            int n = (int) Math.min(end - offset, CHUNK - within);
            Arrays.fill(chunk(offset / CHUNK), within, within + n, value);
            offset += n;
        }
    }

    /**
     * Makes {@code [offset, offset + length)} read as zeroes. Chunks wholly inside are dropped, and a
     * chunk partly inside is dropped too if nothing but zeroes is left in it.
     */
    void zero(long offset, long length) {
        if (length <= 0) {
            return;
        }
        long end = offset + length;
        long firstWhole = Math.ceilDiv(offset, CHUNK);
        long endWhole = end / CHUNK;
        if (firstWhole < endWhole) {
            chunks.subMap(firstWhole, endWhole).clear();
        }
        zeroWithinChunk(offset, Math.min(end, firstWhole * CHUNK));
        zeroWithinChunk(Math.max(offset, endWhole * CHUNK), end);
    }

    /**
     * Copies {@code [from, from + length)} of {@code source} (which may be this image, if the ranges
     * do not overlap) to {@code at}: allocated chunks are written, the gaps between them zeroed, so
     * the target range ends up exactly as the source range, zeroes included.
     */
    void blit(SparseImage source, long from, long length, long at) {
        if (length <= 0) {
            return;
        }
        long end = from + length;
        // Copied out first: when source is this image, the writes below change the map.
        NavigableMap<Long, byte[]> range = source.chunks.subMap(from / CHUNK, true, (end - 1) / CHUNK, true);
        long[] keys = range.keySet().stream().mapToLong(Long::longValue).toArray();
        byte[][] values = range.values().toArray(new byte[0][]);
        long pos = from;
        for (int i = 0; i < keys.length; i++) {
            long chunkStart = keys[i] * CHUNK;
            long start = Math.max(from, chunkStart);
            long stop = Math.min(end, chunkStart + CHUNK);
            zero(at + (pos - from), start - pos);
            write(at + (start - from), values[i], (int) (start - chunkStart), (int) (stop - start));
            pos = stop;
        }
        zero(at + (pos - from), end - pos);
    }

    /**
     * Given {@code [start, start + unitLength)} already written, writes {@code times - 1} more copies
     * after it by doubling what is there: the work grows with the result, not with {@code times}.
     */
    void repeatForward(long start, long unitLength, long times) {
        long done = 1;
        while (done < times) {
            long n = Math.min(done, times - done);
            blit(this, start, n * unitLength, start + done * unitLength);
            done += n;
        }
    }

    /** Copies {@code [offset, offset + dst.length)} into {@code dst}. */
    void read(long offset, byte[] dst) {
        Arrays.fill(dst, (byte) 0);
        long end = offset + dst.length;
        if (dst.length == 0) {
            return;
        }
        for (Map.Entry<Long, byte[]> e : chunks.subMap(offset / CHUNK, true, (end - 1) / CHUNK, true).entrySet()) {
            long chunkStart = e.getKey() * CHUNK;
            long start = Math.max(offset, chunkStart);
            long stop = Math.min(end, chunkStart + CHUNK);
            System.arraycopy(e.getValue(), (int) (start - chunkStart), dst, (int) (start - offset), (int) (stop - start));
        }
    }

    /** Whether the chunk holding {@code offset} is allocated. */
    boolean isAllocated(long offset) {
        return chunks.containsKey(offset / CHUNK);
    }

    /** How many chunks are allocated: what the image costs in memory, in {@link #CHUNK}s. */
    int chunkCount() {
        return chunks.size();
    }

    /** Hands every allocated chunk, in ascending order, to {@code sink}, emptying the image as it goes. */
    <E extends Exception> void drain(ChunkSink<E> sink) throws E {
        for (Map.Entry<Long, byte[]> e = chunks.pollFirstEntry(); e != null; e = chunks.pollFirstEntry()) {
            sink.accept(e.getKey() * CHUNK, e.getValue());
        }
    }

    @FunctionalInterface
    interface ChunkSink<E extends Exception> {
        /** {@code chunk} holds {@link #CHUNK} bytes for {@code [offset, offset + CHUNK)}. */
        void accept(long offset, byte[] chunk) throws E;
    }

    /** Fails unless {@code newChunks} more chunks would fit in {@link #MAX_CHUNKS}. */
    void requireRoom(long newChunks) {
        if (newChunks > MAX_CHUNKS - chunks.size()) {
            throw new TooLargeException();
        }
    }

    private byte[] chunk(long key) {
        byte[] chunk = chunks.get(key);
        if (chunk == null) {
            requireRoom(1);
            chunk = new byte[CHUNK];
            chunks.put(key, chunk);
        }
        return chunk;
    }

    /** The non-zero content would not fit in memory. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException() {
            super("the expression holds more non-zero data than fits in memory (at most "
                    + MAX_CHUNKS * CHUNK / (1024 * 1024) + " MiB, half the Java heap)");
        }
    }

    private void zeroWithinChunk(long from, long to) {
        if (from >= to) {
            return;
        }
        long key = from / CHUNK;
        byte[] chunk = chunks.get(key);
        if (chunk != null) {
            Arrays.fill(chunk, (int) (from % CHUNK), (int) (from % CHUNK + (to - from)), (byte) 0);
            if (Arrays.equals(chunk, ZERO_CHUNK)) {
                chunks.remove(key);
            }
        }
    }
}
