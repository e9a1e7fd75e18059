package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;

/**
 * A position in the text of a data expression, with the lexical pieces the grammar is made of:
 * blanks and {@code #} comments, numbers in C notation, names. Every error it makes says where.
 * Used by one parser on one thread.
 */
final class TextCursor {
    private final String source;
    private final String text;
    private int pos;

    /** {@code source} names the text in messages: {@code "data"} or {@code "$NAME"}. */
    TextCursor(String source, String text) {
        this.source = source;
        this.text = text;
    }

    String source() {
        return source;
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** The current character; only when not {@link #atEnd}. */
    char peek() {
        return text.charAt(pos);
    }

    boolean peekIs(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    boolean startsWith(String prefix) {
        return text.startsWith(prefix, pos);
    }

    char next() {
        return text.charAt(pos++);
    }

    void skip(int n) {
        pos += n;
    }

    /** Consumes {@code c} or fails saying what was expected. */
    void expect(char c, String what) throws ConfigException {
        if (!peekIs(c)) {
            throw error("expected '" + c + "' " + what);
        }
        pos++;
    }

    /** Skips white space and {@code #} comments, which run to the end of the line. */
    void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }

    /** A count, offset or length: a C number from 0 to 2^63-1. */
    long count(String what) throws ConfigException {
        int start = pos;
        long value = unsigned(what);
        if (value < 0) {
            throw error(start, what + " " + text.substring(start, pos) + " is larger than 2^63-1");
        }
        return value;
    }

    /** A number that must fit in {@code bits} bits (8 to 64), read as unsigned. */
    long bounded(String what, int bits) throws ConfigException {
        int start = pos;
        long value = unsigned(what);
        if (bits < 64 && (value >>> bits) != 0) {
            throw error(start, what + " " + text.substring(start, pos) + " does not fit in " + bits
                    + " bits (0.." + ((1L << bits) - 1) + ")");
        }
        return value;
    }

    /**
     * A number in C notation: {@code 0x} hexadecimal, a leading {@code 0} for octal, otherwise
     * decimal. The token is every letter and digit from here, so {@code 08} and {@code 12ab} are errors
     * rather than two expressions run together.
     */
    private long unsigned(String what) throws ConfigException {
        int start = pos;
        while (pos < text.length() && isAsciiLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw error(start, "expected a number for " + what);
        }
        int radix = 10;
        String digits = token;
        if (token.startsWith("0x") || token.startsWith("0X")) {
            radix = 16;
            digits = token.substring(2);
        } else if (token.length() > 1 && token.charAt(0) == '0') {
            radix = 8;
            digits = token.substring(1);
        }
        int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, base) >= 0)) {
            throw error(start, "'" + token + "' is not a number (decimal, 0x hexadecimal or 0 octal) for " + what);
        }
        try {
            return Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException e) {
            throw error(start, what + " " + token + " is larger than 2^64-1");
        }
    }

    /** A run of the characters {@code accepted} allows, possibly empty. */
    String run(java.util.function.IntPredicate accepted) {
        int start = pos;
        while (pos < text.length() && accepted.test(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    static boolean isAsciiLetterOrDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    Origin here() {
        return at(pos);
    }

    Origin at(int offset) {
        return new Origin(source, text, offset);
    }

    ConfigException error(String problem) {
        return error(pos, problem);
    }

    ConfigException error(int offset, String problem) {
        return new ConfigException(at(offset).message(problem));
    }
}
