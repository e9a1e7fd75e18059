package io.nbd4j.filters.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Formats the statistics as nbdkit's stats filter does, so that scripts reading its files (for
 * example {@code grep 'flush: 5 ops'}) work unchanged:
 * <pre>
 * total: OPS ops, SECONDS s, SIZE, RATE/s
 * read: N ops, SECONDS s, SIZE, RATE/s op, RATE/s total
 *   Request size and alignment breakdown:
 *     12 bits: 68.4% (93 reqs, 372.00 KiB total)
 *          12 bit aligned: 100.0% (93)
 *     other sizes:  3.7% (5 reqs, 3.16 MiB total)
 * (blank line)
 * </pre>
 * An operation's line appears only if it ran; the breakdown only for operations with a length.
 *
 * <p><b>Threads.</b> A pure function of its inputs.
 */
final class StatsReport {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private StatsReport() {}

    /**
     * @param ops       read, write, trim, zero, extents, cache, flush, in that order
     * @param elapsed   nanoseconds the server ran
     * @param threshold the share of requests the breakdown covers (0 for none, 0.95 by default)
     */
    static String format(List<OpStats.Snapshot> ops, long elapsed, double threshold) {
        StringBuilder out = new StringBuilder();
        long totalOps = 0;
        long totalBytes = 0;
        for (OpStats.Snapshot s : ops) {
            if (!s.name().equals("cache")) {
                totalOps += s.ops();
            }
            if (!s.name().equals("cache") && !s.name().equals("extents") && !s.name().equals("flush")) {
                totalBytes += s.bytes();
            }
        }
        out.append(String.format(Locale.ROOT, "total: %d ops, %.6f s, %s, %s/s\n",
                totalOps, seconds(elapsed), size(totalBytes), rate(totalBytes, elapsed)));
        for (OpStats.Snapshot s : ops) {
            if (s.ops() == 0) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%s: %d ops, %.6f s, %s, %s/s op, %s/s total\n",
                    s.name(), s.ops(), seconds(s.nanos()), size(s.bytes()), rate(s.bytes(), s.nanos()),
                    rate(s.bytes(), elapsed)));
            if (threshold != 0 && !s.sizes().isEmpty()) {
                out.append("  Request size and alignment breakdown:\n");
                sizeBreakdown(out, s, threshold);
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void sizeBreakdown(StringBuilder out, OpStats.Snapshot s, double threshold) {
        List<OpStats.SizeSnapshot> classes = new ArrayList<>(s.sizes());
        classes.sort(Comparator.comparingLong(OpStats.SizeSnapshot::requests).reversed()
                .thenComparing(Comparator.comparingInt(OpStats.SizeSnapshot::bits).reversed()));
        long total = classes.stream().mapToLong(OpStats.SizeSnapshot::requests).sum();
        long toPrint = (long) (threshold * total);
        long printedRequests = 0;
        long printedBytes = 0;
        for (OpStats.SizeSnapshot c : classes) {
            if (printedRequests >= toPrint) {
                long rest = total - printedRequests;
                out.append(String.format(Locale.ROOT, "    other sizes: %4.1f%% (%d reqs, %s total)\n",
                        100.0 * rest / total, rest, size(s.bytes() - printedBytes)));
                break;
            }
            out.append(String.format(Locale.ROOT, "    %2d bits: %4.1f%% (%d reqs, %s total)\n",
                    c.bits(), 100.0 * c.requests() / total, c.requests(), size(c.bytes())));
            printedRequests += c.requests();
            printedBytes += c.bytes();
            alignmentBreakdown(out, c, threshold);
        }
    }

    /**
     * For each alignment present, how many requests are at least that aligned (offset 0 counts for
     * all); a line is printed where the count changes, until it falls below the threshold's remainder.
     */
    private static void alignmentBreakdown(StringBuilder out, OpStats.SizeSnapshot c, double threshold) {
        long[] a = c.alignments();
        long any = a[OpStats.ANY_ALIGNMENT];
        TreeMap<Integer, Long> atLeast = new TreeMap<>();
        long higher = any;
        for (int bits = OpStats.ANY_ALIGNMENT - 1; bits >= 0; bits--) {
            if (a[bits] > 0) {
                higher += a[bits];
                atLeast.put(bits, higher);
            }
        }
        long total = c.requests();
        long cutoff = (long) ((1 - threshold) * total);
        List<Integer> keys = new ArrayList<>(atLeast.keySet());
        for (int i = 0; i < keys.size(); i++) {
            int bits = keys.get(i);
            long requests = atLeast.get(bits);
            if (requests < cutoff) {
                out.append(String.format(Locale.ROOT, "         %2d+ bit-aligned: %4.1f%% (%d)\n",
                        bits, 100.0 * requests / total, requests));
                break;
            }
            if (i + 1 == keys.size() || atLeast.get(keys.get(i + 1)) != requests) {
                out.append(String.format(Locale.ROOT, "         %2d bit aligned: %5.1f%% (%d)\n",
                        bits, 100.0 * requests / total, requests));
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** nbdkit's human size: bytes below 1 KiB, else two decimals of KiB, MiB or GiB. */
    static String size(long bytes) {
        if (bytes < KIB) {
            return bytes + " bytes";
        } else if (bytes < MIB) {
            return String.format(Locale.ROOT, "%.2f KiB", bytes / (double) KIB);
        } else if (bytes < GIB) {
            return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) MIB);
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GIB);
    }

    /** Bytes per second as a human size, or {@code (n/a)} when no time was measured. */
    static String rate(long bytes, long nanos) {
        return nanos == 0 ? "(n/a)" : size((long) (bytes / seconds(nanos)));
    }
}
