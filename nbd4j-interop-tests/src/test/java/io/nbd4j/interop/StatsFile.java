package io.nbd4j.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads operation counts from the file the stats filter writes when the server exits: lines such as
 * {@code flush: 5 ops, 0.000002 s, ...}. The filter prints an operation's line only when its count is not
 * zero, so a missing line means zero; a missing file fails the test. Stateless; safe from any thread.
 */
final class StatsFile {
    private StatsFile() {}

    static long flushOps(Path statsFile) {
        return ops(statsFile, "flush");
    }

    static long writeOps(Path statsFile) {
        return ops(statsFile, "write");
    }

    private static long ops(Path statsFile, String operation) {
        String text;
        try {
            text = Files.readString(statsFile);
        } catch (IOException e) {
            throw new AssertionError("the stats filter wrote no file at " + statsFile, e);
        }
        Matcher m = Pattern.compile("(?m)^" + operation + ": (\\d+) ops").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
