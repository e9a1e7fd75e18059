package io.nbd4j.filters.extentlist;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The extents read from an extent list file, sorted, checked not to overlap, and with every gap (at the
 * start, between, after the last) filled by a hole that reads as zeroes, so that they cover every
 * offset up to 2^63-1 without a gap.
 *
 * <p>File format, one extent a line: {@code OFFSET LENGTH [TYPE]}, separated by spaces or tabs. Offset
 * and length are sizes ({@code 1M}); the type is a number (0 data, 1 hole, 2 zero, 3 both), the words
 * {@code hole} and {@code zero} (comma-separated), or absent for data. Zero-length extents are skipped;
 * blank lines are allowed.
 *
 * <p>Immutable once read; safe from any thread.
 */
final class ExtentTable {
    private static final int HOLE = Extents.HOLE | Extents.ZERO;

    private final long[] starts;
    private final long[] ends;
    private final int[] types;

    private record Entry(long start, long end, int type) {}

    private ExtentTable(List<Entry> entries) {
        starts = entries.stream().mapToLong(Entry::start).toArray();
        ends = entries.stream().mapToLong(Entry::end).toArray();
        types = entries.stream().mapToInt(Entry::type).toArray();
    }

    static ExtentTable read(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("extentlist: cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Entry> listed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Entry e = parse(file, i + 1, lines.get(i));
            if (e != null) {
                listed.add(e);
            }
        }
        listed.sort(Comparator.comparingLong(Entry::start));
        List<Entry> complete = new ArrayList<>();
        long covered = 0;
        for (Entry e : listed) {
            if (e.start() < covered) {
                throw new ConfigException("extentlist: " + file + ": extents overlap (one at " + e.start()
                        + " starts before the one before it ends, at " + covered + ")");
            }
            if (e.start() > covered) {
                complete.add(new Entry(covered, e.start(), HOLE));
            }
            complete.add(e);
            covered = e.end();
        }
        if (covered < Long.MAX_VALUE) {
            complete.add(new Entry(covered, Long.MAX_VALUE, HOLE));
        }
        return new ExtentTable(complete);
    }

    /** One line's extent, null for a blank line or a zero length. */
    private static Entry parse(Path file, int number, String line) throws ConfigException {
        String[] fields = line.strip().split("[ \t]+");
        if (fields.length == 1 && fields[0].isEmpty()) {
            return null;
        }
        String where = "extentlist: " + file + " line " + number;
        if (fields.length < 2) {
            throw new ConfigException(where + ": expected OFFSET LENGTH [TYPE], got '" + line + "'");
        }
        long offset = Values.parseSize(where, fields[0]);
        long length = Values.parseSize(where, fields[1]);
        if (length == 0) {
            return null;
        }
        if (offset > Long.MAX_VALUE - length) {
            throw new ConfigException(where + ": the extent ends past 2^63-1");
        }
        int type = fields.length > 2 ? type(where, fields[2]) : Extents.DATA;
        return new Entry(offset, offset + length, type);
    }

    private static int type(String where, String text) throws ConfigException {
        if (Character.isDigit(text.charAt(0))) {
            long type = Values.parseInteger(where, text, 0, HOLE);
            return (int) type;
        }
        int type = 0;
        for (String word : text.split(",")) {
            type |= switch (word) {
                case "hole" -> Extents.HOLE;
                case "zero" -> Extents.ZERO;
                default -> throw new ConfigException(where + ": unknown extent type '" + word + "' (expected hole, zero or a number 0-3)");
            };
        }
        return type;
    }

    /**
     * Adds to {@code sink} the extents from {@code offset} until {@code length} bytes are covered: the
     * first starts at {@code offset}, the last may run past the range.
     */
    void report(long length, long offset, Extents sink) throws IOException {
        int i = Arrays.binarySearch(starts, offset);
        if (i < 0) {
            i = -i - 2;
        }
        long at = offset;
        long end = offset + length;
        for (; at < end && i < starts.length; i++) {
            sink.add(at, ends[i] - at, types[i]);
            at = ends[i];
        }
    }
}
