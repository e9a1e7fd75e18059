package io.nbd4j.spi;

import java.util.Locale;

/** Parsers for parameter values, with the syntax nbdkit users type. */
public final class Values {
    private Values() {}

    /**
     * Parses a size: a decimal number with an optional suffix, case-insensitive: {@code b} (bytes),
     * {@code s} (512-byte sectors), {@code k}, {@code m}, {@code g}, {@code t}, {@code p}, {@code e}
     * (powers of 1024). {@code 1G} is 1073741824.
     */
    public static long parseSize(String key, String text) throws ConfigException {
        String s = text.strip();
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new ConfigException(key + ": could not parse size '" + text + "': expected a number with an optional suffix b, s, K, M, G, T, P or E");
        }
        String suffix = s.substring(end).toLowerCase(Locale.ROOT);
        int shift = switch (suffix) {
            case "", "b" -> 0;
            case "s" -> 9;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            case "t", "tb", "tib" -> 40;
            case "p", "pb", "pib" -> 50;
            case "e", "eb", "eib" -> 60;
            default -> throw new ConfigException(key + ": could not parse size '" + text + "': unknown suffix '" + s.substring(end) + "' (expected b, s, K, M, G, T, P or E)");
        };
        long number;
        try {
            number = Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": size '" + text + "' is too large", e);
        }
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw new ConfigException(key + ": size '" + text + "' is too large (the maximum is 2^63-1 bytes)");
        }
        return number << shift;
    }

    /** Parses a boolean as nbdkit does: 1/true/t/yes/y/on and 0/false/f/no/n/off, any case. */
    public static boolean parseBool(String key, String text) throws ConfigException {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "t", "yes", "y", "on" -> true;
            case "0", "false", "f", "no", "n", "off" -> false;
            default -> throw new ConfigException(key + ": could not parse boolean '" + text + "' (expected true/false, yes/no, on/off or 1/0)");
        };
    }

    /** Parses one of a fixed set of words, any case, naming the accepted ones when it fails. */
    public static String parseChoice(String key, String text, String... accepted) throws ConfigException {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw new ConfigException(key + ": unknown value '" + text + "' (expected one of: " + String.join(", ", accepted) + ")");
    }
}
