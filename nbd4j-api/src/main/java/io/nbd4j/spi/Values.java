package io.nbd4j.spi;

import java.math.BigDecimal;
import java.time.Duration;
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

    /** Parses a size as {@link #parseSize(String, String)} does, within {@code [min, max]}. */
    public static long parseSize(String key, String text, long min, long max) throws ConfigException {
        long size = parseSize(key, text);
        if (size < min || size > max) {
            throw new ConfigException(key + ": size '" + text + "' is out of range (expected " + min + " to " + max + " bytes)");
        }
        return size;
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

    /**
     * Parses a whole number as nbdkit does ({@code nbdkit_parse_int}): decimal, {@code 0x} hexadecimal or
     * {@code 0} octal, with an optional sign, nothing after it, within {@code [min, max]}.
     */
    public static long parseInteger(String key, String text, long min, long max) throws ConfigException {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        String digits = negative || s.startsWith("+") ? s.substring(1) : s;
        int radix = 10;
        if (digits.length() > 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        long value;
        try {
            if (digits.isEmpty() || !Character.isLetterOrDigit(digits.charAt(0))) {
                throw new NumberFormatException(text);
            }
            value = Long.parseLong((negative ? "-" : "") + digits, radix);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": could not parse number '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new ConfigException(key + ": " + text + " is out of range (expected " + min + " to " + max + ")");
        }
        return value;
    }

    /**
     * Parses a length of time: a number of seconds, which may have a fraction ({@code 1.5}), or a
     * number followed by {@code s}, {@code ms}, {@code us} or {@code ns}, as nbdkit's delay, retry and
     * exitwhen parameters are written ({@code 10}, {@code 500ms}). Not negative.
     */
    public static Duration parseDuration(String key, String text) throws ConfigException {
        String s = text.strip().toLowerCase(Locale.ROOT);
        long nanosPerUnit = 1_000_000_000L;
        for (String[] unit : new String[][] {{"ms", "1000000"}, {"us", "1000"}, {"ns", "1"}, {"s", "1000000000"}}) {
            if (s.endsWith(unit[0])) {
                s = s.substring(0, s.length() - unit[0].length()).strip();
                nanosPerUnit = Long.parseLong(unit[1]);
                break;
            }
        }
        try {
            BigDecimal nanos = new BigDecimal(s).multiply(BigDecimal.valueOf(nanosPerUnit));
            if (nanos.signum() < 0 || s.startsWith("+")) {
                throw new NumberFormatException(text);
            }
            return Duration.ofNanos(nanos.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key + ": could not parse time '" + text
                    + "': expected seconds (e.g. 2 or 1.5) or a number with ms, us or ns", e);
        }
    }
}
