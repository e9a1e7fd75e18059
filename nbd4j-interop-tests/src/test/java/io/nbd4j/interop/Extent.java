package io.nbd4j.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of the {@code base:allocation} map: {@code flags} bit 0 is "hole", bit 1 is "reads as zeroes".
 * Servers may split the map differently (nbdkit by 32 KiB pages, nbd4j by its own), so comparisons use
 * {@link #merged}, which joins neighbours with equal flags.
 */
record Extent(long offset, long length, int flags) {
    static final int HOLE = 1;
    static final int ZERO = 2;

    long end() {
        return offset + length;
    }

    /**
     * Parses lines of {@code OFFSET LENGTH FLAGS} (whitespace separated, extra columns ignored) into a map with
     * equal neighbours joined.
     */
    static List<Extent> parseMerged(String text) {
        List<Extent> raw = text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+"))
                .map(f -> new Extent(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])))
                .toList();
        return merged(raw);
    }

    static List<Extent> merged(List<Extent> extents) {
        List<Extent> out = new ArrayList<>();
        for (Extent e : extents) {
            if (!out.isEmpty() && out.getLast().flags == e.flags && out.getLast().end() == e.offset) {
                Extent last = out.removeLast();
                out.add(new Extent(last.offset, last.length + e.length, e.flags));
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
