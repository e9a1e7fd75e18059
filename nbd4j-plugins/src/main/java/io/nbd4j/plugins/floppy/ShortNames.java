package io.nbd4j.plugins.floppy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gives the entries of one directory their 8.3 names, the ones DOS and every FAT reader without long
 * name support see; the real name is kept in long-name entries beside it. A name that fits 8.3 as it
 * is (upper-cased) keeps it; any other name gets a numbered one, {@code BASENA~1.EXT}, built from the
 * characters 8.3 allows (others become {@code _}, spaces and extra dots are dropped), with the number
 * counting up until the name is unique in the directory.
 *
 * <p>Threads: one directory, one thread.
 */
final class ShortNames {
    private static final String ALLOWED_PUNCTUATION = "!#$%&'()-@^_`{}~";

    private final Set<String> taken = new HashSet<>();
    /** For each stem and extension, the number to try next, so a thousand similar names cost linear time. */
    private final Map<String, Integer> nextNumber = new HashMap<>();

    /** The 11 bytes (8 of name, 3 of extension, space-padded) for {@code longName}. */
    byte[] assign(String longName) {
        int dot = longName.lastIndexOf('.');
        String base = dot > 0 ? longName.substring(0, dot) : longName;
        String ext = dot > 0 ? longName.substring(dot + 1) : "";
        Cleaned b = clean(base);
        Cleaned e = clean(ext);
        String ext3 = e.text().length() > 3 ? e.text().substring(0, 3) : e.text();
        boolean fits = !b.lossy() && !e.lossy() && !b.text().isEmpty() && b.text().length() <= 8 && e.text().length() <= 3;
        if (fits && taken.add(padded(b.text(), ext3))) {
            return bytes(b.text(), ext3);
        }
        String stem = b.text().isEmpty() ? "_" : b.text();
        // Names that share their first six characters compete for the same numbered names.
        String key = stem.substring(0, Math.min(6, stem.length())) + "." + ext3;
        for (int n = nextNumber.getOrDefault(key, 1); ; n++) {
            String tail = "~" + n;
            String name = stem.substring(0, Math.min(stem.length(), 8 - tail.length())) + tail;
            if (taken.add(padded(name, ext3))) {
                nextNumber.put(key, n + 1);
                return bytes(name, ext3);
            }
        }
    }

    private record Cleaned(String text, boolean lossy) {}

    private static Cleaned clean(String s) {
        StringBuilder out = new StringBuilder();
        boolean lossy = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char u = c < 128 ? Character.toUpperCase(c) : c;
            if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || ALLOWED_PUNCTUATION.indexOf(u) >= 0) {
                out.append(u);
            } else if (c == ' ' || c == '.') {
                lossy = true;
            } else {
                out.append('_');
                lossy = true;
            }
        }
        return new Cleaned(out.toString(), lossy);
    }

    private static String padded(String name, String ext) {
        return name + " ".repeat(8 - name.length()) + ext + " ".repeat(3 - ext.length());
    }

    private static byte[] bytes(String name, String ext) {
        return padded(name, ext).getBytes(StandardCharsets.US_ASCII);
    }
}
