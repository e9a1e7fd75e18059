package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdException;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * One fixed span of the virtual disk, {@link PageTable#REGION_BYTES} long, backed by one anonymous
 * mapping, with one bit per kernel page saying whether the page holds data.
 *
 * <p><b>Threads.</b> Any number of threads call every method at once, without locks. The storage of a
 * page is fixed by its position, so "installing" a page is only setting its bit and two writers to the
 * same new page can never lose each other's bytes. A write copies its bytes first and sets the bits
 * afterwards (a volatile read-modify-write); readers load the bits with acquire semantics before
 * copying, so a reader that sees a bit also sees the bytes. Releasing clears the bits first and then
 * returns the pages to the kernel, so once every racing request has finished, a clear bit always
 * means a page of zeroes. Concurrent requests touching the same bytes may interleave, as on a real disk.
 */
final class Region {
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Disk offset of the region's first byte. */
    final long start;
    private final MemorySegment memory;
    /**
     * A view of {@link #memory} used only through absolute bulk get/put, which never change the
     * buffer's state, so one view serves every thread.
     */
    private final ByteBuffer bytes;
    private final long[] bits;
    private final int pageShift;
    private final LongAdder allocatedPages;

    Region(long start, MemorySegment memory, int pageShift, LongAdder allocatedPages) {
        this.start = start;
        this.memory = memory;
        this.bytes = memory.asByteBuffer();
        this.pageShift = pageShift;
        this.bits = new long[(int) ((memory.byteSize() >>> pageShift) + 63) >>> 6];
        this.allocatedPages = allocatedPages;
    }

    /** Copies {@code length} bytes from region offset {@code from} into {@code dst} at absolute {@code dstIndex}. */
    void read(ByteBuffer dst, int dstIndex, int from, int length) {
        int end = from + length;
        int lastPage = pageAfter(end);
        int pos = from;
        while (pos < end) {
            int page = pos >>> pageShift;
            boolean present = isSet(page);
            int runEnd = Math.min(end, nextPage(page + 1, lastPage, !present) << pageShift);
            if (present) {
                dst.put(dstIndex + (pos - from), bytes, pos, runEnd - pos);
            } else {
                Zeroes.fill(dst, dstIndex + (pos - from), runEnd - pos);
            }
            pos = runEnd;
        }
    }

    /**
     * A read-only view of {@code [from, from + length)}, or {@code null} unless every page in it holds
     * data. The bits are loaded with acquire semantics first, so the view shows at least the bytes of
     * every write that set them.
     */
    ByteBuffer view(int from, int length) {
        int end = from + length;
        if (nextPage(from >>> pageShift, pageAfter(end), false) < pageAfter(end)) {
            return null;
        }
        return bytes.slice(from, length).asReadOnlyBuffer();
    }

    /** Copies {@code length} bytes from {@code src} at absolute {@code srcIndex} to region offset {@code from}. */
    void write(ByteBuffer src, int srcIndex, int from, int length) {
        bytes.put(from, src, srcIndex, length);
        setBits(from >>> pageShift, pageAfter(from + length));
    }

    /** Makes {@code [from, to)} read as zeroes, giving whole pages back to the kernel. */
    void zero(int from, int to) {
        int pageSize = 1 << pageShift;
        int firstWhole = pageAfter(from);
        int endWhole = to >>> pageShift;
        int headEnd = Math.min(to, firstWhole << pageShift);
        zeroBytes(from, headEnd);
        if (firstWhole < endWhole) {
            long freed = clearBits(firstWhole, endWhole);
            if (freed > 0) {
                allocatedPages.add(-freed);
                AnonymousMemory.release(memory.asSlice((long) firstWhole * pageSize, (long) (endWhole - firstWhole) * pageSize));
            }
        }
        zeroBytes(Math.max(headEnd, endWhole << pageShift), to);
    }

    /** Reports {@code [from, to)} of this region as data and hole runs; returns false once no more are wanted. */
    boolean extents(int from, int to, ExtentRuns runs) throws NbdException {
        int lastPage = pageAfter(to);
        int pos = from;
        while (pos < to) {
            int page = pos >>> pageShift;
            boolean present = isSet(page);
            int runEnd = Math.min(to, nextPage(page + 1, lastPage, !present) << pageShift);
            if (!runs.add(start + pos, start + runEnd, present ? Extents.DATA : Extents.HOLE | Extents.ZERO)) {
                return false;
            }
            pos = runEnd;
        }
        return true;
    }

    /** Zero-fills bytes of a page that is only partly covered; a page without data is already zero. */
    private void zeroBytes(int from, int to) {
        if (from < to && isSet(from >>> pageShift)) {
            memory.asSlice(from, to - from).fill((byte) 0);
        }
    }

    private int pageAfter(int offset) {
        return (int) (((long) offset + (1 << pageShift) - 1) >>> pageShift);
    }

    private boolean isSet(int page) {
        long word = (long) BITS.getAcquire(bits, page >>> 6);
        return (word & (1L << page)) != 0;
    }

    /** The first page in {@code [from, to)} whose bit equals {@code set}, or {@code to}. */
    private int nextPage(int from, int to, boolean set) {
        if (from >= to) {
            return to;
        }
        int w = from >>> 6;
        long word = (long) BITS.getAcquire(bits, w);
        word = (set ? word : ~word) & (-1L << from);
        while (word == 0) {
            w++;
            if (w << 6 >= to) {
                return to;
            }
            word = (long) BITS.getAcquire(bits, w);
            word = set ? word : ~word;
        }
        return Math.min(to, (w << 6) + Long.numberOfTrailingZeros(word));
    }

    private void setBits(int from, int to) {
        for (int w = from >>> 6; w << 6 < to; w++) {
            long mask = mask(w, from, to);
            // Re-writing existing data, the common case, costs a plain load instead of a locked instruction.
            if (((long) BITS.getAcquire(bits, w) & mask) == mask) {
                continue;
            }
            long old = (long) BITS.getAndBitwiseOr(bits, w, mask);
            int added = Long.bitCount(mask & ~old);
            if (added != 0) {
                allocatedPages.add(added);
            }
        }
    }

    private long clearBits(int from, int to) {
        long cleared = 0;
        for (int w = from >>> 6; w << 6 < to; w++) {
            long mask = mask(w, from, to);
            if (((long) BITS.getAcquire(bits, w) & mask) == 0) {
                continue;
            }
            long old = (long) BITS.getAndBitwiseAnd(bits, w, ~mask);
            cleared += Long.bitCount(old & mask);
        }
        return cleared;
    }

    /** The bits of word {@code w} that fall in pages {@code [from, to)}. */
    private static long mask(int w, int from, int to) {
        int low = Math.max(from - (w << 6), 0);
        int high = Math.min(to - (w << 6), 64);
        long belowHigh = high == 64 ? -1L : (1L << high) - 1;
        return belowHigh & (-1L << low);
    }
}
