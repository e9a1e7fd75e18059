package io.nbd4j.filters.protect;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The byte ranges the protect filter guards: parsed from {@code START-END} (inclusive; either end may
 * be left out) and {@code ~START-END} (everything but that range), then sorted and merged where they
 * overlap or touch. Offsets stop at 2^63-1, the largest size a disk can have.
 *
 * <p>Built on the main thread by {@link Builder}; immutable afterwards and safe from any thread.
 */
final class ProtectedRanges {
    private static final long END_OF_DISK = Long.MAX_VALUE;

    /** One protected range, both ends inclusive, with the parameter it came from for messages. */
    record Range(long start, long end, String source) {}

    private final Range[] ranges;

    private ProtectedRanges(List<Range> merged) {
        this.ranges = merged.toArray(Range[]::new);
    }

    List<Range> ranges() {
        return List.of(ranges);
    }

    /**
     * The first protected range that ends at or after {@code offset}, or null if none does: the ranges
     * a write of {@code [offset, ...)} may touch start there, in order.
     */
    int firstEndingAtOrAfter(long offset) {
        int low = 0;
        int high = ranges.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (ranges[mid].end() < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    Range at(int index) {
        return index < ranges.length ? ranges[index] : null;
    }

    /** Collects {@code protect=} values in command-line order. */
    static final class Builder {
        private final List<Range> ranges = new ArrayList<>();

        void add(String key, String value) throws ConfigException {
            boolean complement = value.startsWith("~");
            String text = complement ? value.substring(1) : value;
            int dash = text.indexOf('-');
            if (dash < 0) {
                throw new ConfigException(key + ": cannot parse range '" + value + "': expected START-END or ~START-END");
            }
            String startText = text.substring(0, dash).strip();
            String endText = text.substring(dash + 1).strip();
            long start = startText.isEmpty() ? 0 : Values.parseInteger(key, startText, 0, END_OF_DISK);
            long end = endText.isEmpty() ? END_OF_DISK : Values.parseInteger(key, endText, 0, END_OF_DISK);
            if (end < start) {
                throw new ConfigException(key + ": invalid range '" + value + "': the end is before the start");
            }
            if (!complement) {
                ranges.add(new Range(start, end, value));
                return;
            }
            if (start > 0) {
                ranges.add(new Range(0, start - 1, value));
            }
            if (end < END_OF_DISK) {
                ranges.add(new Range(end + 1, END_OF_DISK, value));
            }
        }

        ProtectedRanges build() {
            List<Range> sorted = new ArrayList<>(ranges);
            sorted.sort(Comparator.comparingLong(Range::start));
            List<Range> merged = new ArrayList<>();
            for (Range r : sorted) {
                Range last = merged.isEmpty() ? null : merged.getLast();
                if (last != null && (last.end() == END_OF_DISK || r.start() <= last.end() + 1)) {
                    merged.set(merged.size() - 1, new Range(last.start(), Math.max(last.end(), r.end()), last.source()));
                } else {
                    merged.add(r);
                }
            }
            return new ProtectedRanges(merged);
        }
    }
}
