package io.nbd4j.plugins.memory;

import io.nbd4j.spi.Extents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.WarmUp;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sparse disk image in off-heap memory: the storage of the memory and data plugins.
 *
 * <p>Two levels: a {@link RegionDirectory} of 64 MiB {@link Region}s that exist only once written,
 * each one anonymous mapping reserved with {@code MAP_NORESERVE} plus one allocation bit per kernel
 * page (4 KiB on x86-64). The kernel page is the unit because it is what the kernel commits on first
 * touch and takes back with {@code MADV_DONTNEED}: extents are as fine as the memory really used, a
 * trim releases everything the kernel can release, and a fresh page needs no zeroing by us.
 * Unwritten pages are never touched: reads of them fill the caller's buffer with zeroes.
 *
 * <p><b>Threads.</b> Every method may be called by any number of threads at once; reads and writes
 * take no lock and allocate nothing (see {@link Region} for the ordering rules). Only {@link #close}
 * must not race with other calls: it unmaps everything.
 *
 * <p><b>Buffers.</b> The bytes between a buffer's position and limit are used during the call only;
 * the position is not moved.
 */
public final class PageTable implements AutoCloseable {
    static final int REGION_SHIFT = 26;
    static final long REGION_BYTES = 1L << REGION_SHIFT;
    private static final long REGION_MASK = REGION_BYTES - 1;

    private final Arena arena = Arena.ofShared();
    private final RegionDirectory directory = new RegionDirectory();
    private final LongAdder allocatedPages = new LongAdder();
    /** The transparent huge page size that regions are aligned to and allocate in, or 0 for kernel pages. */
    private final long hugePage;

    /** A table that allocates one kernel page at a time. */
    public PageTable() {
        this(0);
    }

    /**
     * A table whose unit of allocation is {@code hugePage} bytes (a power of two dividing
     * {@link #REGION_BYTES}, the kernel's transparent huge page size), or the kernel page when 0.
     * Its regions ask the kernel for transparent huge pages: a first write into a fresh unit costs one
     * fault instead of one per kernel page, while a write of one byte commits the whole unit, and trim,
     * zero and extents work in whole units.
     */
    PageTable(long hugePage) {
        if (hugePage != 0 && (Long.bitCount(hugePage) != 1 || hugePage > REGION_BYTES)) {
            throw new IllegalArgumentException("not a huge page size: " + hugePage);
        }
        this.hugePage = hugePage;
    }

    /** Fills {@code dst} with the bytes at {@code offset}. */
    public void read(ByteBuffer dst, long offset) {
        int index = dst.position();
        int remaining = dst.remaining();
        while (remaining > 0) {
            int within = (int) (offset & REGION_MASK);
            int n = (int) Math.min(remaining, REGION_BYTES - within);
            Region region = directory.find(offset >>> REGION_SHIFT);
            if (region == null) {
                Zeroes.fill(dst, index, n);
            } else {
                region.read(dst, index, within, n);
            }
            index += n;
            offset += n;
            remaining -= n;
        }
    }

    /**
     * The {@code length} bytes at {@code offset} as a read-only view of the table's own memory, or
     * {@code null} when they cross a region boundary or include a page never written (a copy is then
     * needed: {@link #read} fills holes with zeroes without touching the mapping). The view stays
     * valid until {@link #close}.
     */
    public ByteBuffer view(long offset, int length) {
        int within = (int) (offset & REGION_MASK);
        if (length <= 0 || length > REGION_BYTES - within) {
            return null;
        }
        Region region = directory.find(offset >>> REGION_SHIFT);
        return region == null ? null : region.view(within, length);
    }

    /** Stores the bytes of {@code src} at {@code offset}. */
    public void write(ByteBuffer src, long offset) throws NbdException {
        int index = src.position();
        int remaining = src.remaining();
        while (remaining > 0) {
            int within = (int) (offset & REGION_MASK);
            int n = (int) Math.min(remaining, REGION_BYTES - within);
            regionFor(offset >>> REGION_SHIFT).write(src, index, within, n);
            index += n;
            offset += n;
            remaining -= n;
        }
    }

    /** Makes {@code [offset, offset + length)} read as zeroes, releasing every whole page in it. */
    public void zero(long length, long offset) {
        long end = offset + length;
        RegionDirectory.Snapshot s = directory.snapshot();
        for (int i = s.firstAtOrAfter(offset >>> REGION_SHIFT); i < s.size(); i++) {
            Region region = s.regions()[i];
            if (region.start >= end) {
                break;
            }
            long from = Math.max(offset, region.start) - region.start;
            long to = Math.min(end, region.start + REGION_BYTES) - region.start;
            region.zero((int) from, (int) to);
        }
    }

    /**
     * Reports allocation for {@code [offset, offset + length)}: written pages as {@link Extents#DATA},
     * the rest as {@link Extents#HOLE} | {@link Extents#ZERO}. With {@code onlyFirst}, stops after one extent.
     */
    public void extents(long length, long offset, boolean onlyFirst, Extents sink) throws NbdException {
        ExtentRuns runs = new ExtentRuns(sink, onlyFirst);
        long end = offset + length;
        long pos = offset;
        RegionDirectory.Snapshot s = directory.snapshot();
        for (int i = s.firstAtOrAfter(offset >>> REGION_SHIFT); i < s.size() && pos < end; i++) {
            Region region = s.regions()[i];
            if (region.start >= end) {
                break;
            }
            if (region.start > pos && !runs.add(pos, region.start, Extents.HOLE | Extents.ZERO)) {
                return;
            }
            long from = Math.max(pos, region.start);
            long to = Math.min(end, region.start + REGION_BYTES);
            if (!region.extents((int) (from - region.start), (int) (to - region.start), runs)) {
                return;
            }
            pos = to;
        }
        if (pos < end) {
            runs.add(pos, end, Extents.HOLE | Extents.ZERO);
        }
        runs.finish();
    }

    /**
     * Binds mmap (and, for {@code hugePages}, madvise) on {@link WarmUp}'s thread, so that the first write
     * into a fresh table does not wait for it: the FFM linker's first use spins classes, 25-40 ms of CPU
     * time in a new JVM. A write that comes sooner waits for that initialization to finish.
     */
    public static void prepareInBackground(boolean hugePages) {
        WarmUp.inBackground(() -> AnonymousMemory.prepare(hugePages));
    }

    /** The number of kernel pages holding data. */
    long allocatedPages() {
        return allocatedPages.sum();
    }

    /** The unit of allocation, in bytes. */
    int pageSize() {
        return 1 << pageShift();
    }

    private int pageShift() {
        return hugePage != 0 ? Long.numberOfTrailingZeros(hugePage) : PageSize.SHIFT;
    }

    /** Unmaps every region. No other call may run at the same time or follow. */
    @Override
    public void close() {
        arena.close();
    }

    /**
     * The kernel's page size, asked for when the first region is made rather than when a table is: it
     * initialises {@link AnonymousMemory}, whose binding of mmap costs tens of milliseconds of CPU the
     * first time, which a start that never writes (a captive {@code nbdinfo}) need not pay.
     * {@link #prepareInBackground} pays it early.
     */
    private static final class PageSize {
        static final int SHIFT = Integer.numberOfTrailingZeros(AnonymousMemory.pageSize());
    }

    private Region regionFor(long key) throws NbdException {
        Region region = directory.find(key);
        if (region != null) {
            return region;
        }
        try {
            return directory.getOrCreate(key, k -> new Region(k << REGION_SHIFT,
                    hugePage != 0 ? AnonymousMemory.mapHuge(REGION_BYTES, hugePage, arena) : AnonymousMemory.map(REGION_BYTES, arena),
                    pageShift(), allocatedPages));
        } catch (OutOfMemoryError e) {
            throw new NbdException(NbdError.ENOMEM, "memory: cannot map another region: " + e.getMessage(), e);
        }
    }
}
