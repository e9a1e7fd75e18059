package io.nbd4j.filters.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one kind of operation (read, write …): operations, bytes and time spent below the
 * filter, and, for operations with a length, how many requests fell in each size class (the number of
 * bits of the length, less one) and with each offset alignment (trailing zero bits of the offset).
 *
 * <p><b>Threads.</b> Lock-free: any number of request threads record at once ({@link LongAdder} and
 * atomic arrays); {@link #snapshot()} is read once, at unload, after the connections ended.
 */
final class OpStats {
    /** Alignment index for offset 0, which is aligned to every power of two. */
    static final int ANY_ALIGNMENT = 64;

    private final String name;
    private final LongAdder ops = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicReferenceArray<SizeClass> sizes = new AtomicReferenceArray<>(64);

    private static final class SizeClass {
        final LongAdder bytes = new LongAdder();
        final AtomicLongArray alignments = new AtomicLongArray(ANY_ALIGNMENT + 1);
    }

    OpStats(String name) {
        this.name = name;
    }

    /** Records one successful operation; {@code histogram} is false when statsthreshold=0. */
    void record(long length, long offset, long elapsedNanos, boolean histogram) {
        ops.increment();
        bytes.add(length);
        nanos.add(elapsedNanos);
        if (histogram && length > 0) {
            int bits = 63 - Long.numberOfLeadingZeros(length);
            SizeClass c = sizes.get(bits);
            if (c == null) {
                sizes.compareAndSet(bits, null, new SizeClass());
                c = sizes.get(bits);
            }
            c.bytes.add(length);
            c.alignments.incrementAndGet(offset == 0 ? ANY_ALIGNMENT : Long.numberOfTrailingZeros(offset));
        }
    }

    /** The counters as they are now. */
    Snapshot snapshot() {
        List<SizeSnapshot> classes = new ArrayList<>();
        for (int bits = 0; bits < 64; bits++) {
            SizeClass c = sizes.get(bits);
            if (c != null) {
                long[] a = new long[ANY_ALIGNMENT + 1];
                long requests = 0;
                for (int i = 0; i < a.length; i++) {
                    a[i] = c.alignments.get(i);
                    requests += a[i];
                }
                classes.add(new SizeSnapshot(bits, requests, c.bytes.sum(), a));
            }
        }
        return new Snapshot(name, ops.sum(), bytes.sum(), nanos.sum(), List.copyOf(classes));
    }

    /** One operation's totals; {@code sizes} is empty when no histogram was kept. */
    record Snapshot(String name, long ops, long bytes, long nanos, List<SizeSnapshot> sizes) {}

    /**
     * One size class: requests whose length has {@code bits + 1} bits. {@code alignments[i]} counts
     * offsets with exactly {@code i} trailing zero bits; {@code alignments[ANY_ALIGNMENT]} counts offset 0.
     */
    record SizeSnapshot(int bits, long requests, long bytes, long[] alignments) {}
}
