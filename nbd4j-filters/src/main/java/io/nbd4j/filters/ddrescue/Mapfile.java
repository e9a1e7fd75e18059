package io.nbd4j.filters.ddrescue;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rescued ranges of a GNU ddrescue mapfile: lines {@code POS SIZE STATUS} (numbers in C syntax,
 * {@code 0x} hexadecimal as ddrescue writes them), after {@code #} comments and a first line that is
 * ddrescue's own status. Only ranges with status {@code +} (finished) count; they are sorted and
 * neighbours joined, so that a read spanning two adjacent rescued ranges is served.
 *
 * <p>Immutable; any thread may ask it.
 */
final class Mapfile {
    private final long[] starts;
    private final long[] ends;

    private Mapfile(List<long[]> ranges) {
        starts = ranges.stream().mapToLong(r -> r[0]).toArray();
        ends = ranges.stream().mapToLong(r -> r[1]).toArray();
    }

    static Mapfile read(String key, Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read the mapfile " + file + ": " + e.getMessage(), e);
        }
        List<long[]> rescued = new ArrayList<>();
        boolean statusSeen = false;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (!statusSeen) {
                statusSeen = true;
                continue;
            }
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 3) {
                continue;
            }
            long pos;
            long size;
            try {
                pos = Values.parseInteger(key, fields[0], Long.MIN_VALUE, Long.MAX_VALUE);
                size = Values.parseInteger(key, fields[1], Long.MIN_VALUE, Long.MAX_VALUE);
            } catch (ConfigException notARange) {
                continue;
            }
            if (pos < 0 || size < 0 || size > Long.MAX_VALUE - pos) {
                throw new ConfigException(key + ": " + file + ": bad range '" + line.strip() + "' (negative or too large)");
            }
            if (fields[2].startsWith("+") && size > 0) {
                rescued.add(new long[] {pos, pos + size});
            }
        }
        return new Mapfile(joined(rescued));
    }

    private static List<long[]> joined(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = out.isEmpty() ? null : out.getLast();
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r.clone());
            }
        }
        return out;
    }

    /** Whether every byte of {@code [offset, offset + length)} was rescued. */
    boolean rescued(long offset, long length) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && offset + length <= ends[hi];
    }

    /** How many separate rescued ranges there are (for tests). */
    int ranges() {
        return starts.length;
    }
}
