package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses nbdkit's data format into a {@link SparseImage}: bytes in decimal, {@code 0x} hex or
 * {@code 0} octal; {@code le16: be16: le32: be32: le64: be64:} words; {@code "strings"} with C
 * escapes; {@code @OFFSET}, {@code @+N}, {@code @-N}, {@code @^ALIGN}; {@code ( ... )} groups whose
 * offsets are relative to the group; {@code EXPR*N} repetition and {@code EXPR[N:M]} slices;
 * {@code <FILE}; {@code #} comments. Each expression overwrites its whole extent, and the image is as
 * long as the furthest offset reached. Single-use, main thread only.
 */
final class DataParser {
    /** An evaluated expression: its bytes, and its length (which may end in unwritten zeroes). */
    record Piece(SparseImage image, long size) {}

    private final String text;
    private int pos;

    private DataParser(String text) {
        this.text = text;
    }

    /** Parses a whole data parameter. */
    static Piece parse(String text) throws ConfigException {
        DataParser parser = new DataParser(text);
        return parser.sequence(false);
    }

    private Piece sequence(boolean inGroup) throws ConfigException {
        SparseImage image = new SparseImage();
        long offset = 0;
        long extent = 0;
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                if (inGroup) {
                    throw error("unmatched '(' in data string");
                }
                return new Piece(image, extent);
            }
            char c = text.charAt(pos);
            if (c == ')') {
                if (!inGroup) {
                    throw error("unmatched ')' in data string");
                }
                pos++;
                return new Piece(image, extent);
            }
            if (c == '@') {
                pos++;
                offset = move(offset);
            } else {
                Piece piece = postfix(atom());
                image.overlay(piece.image(), 0, piece.size(), offset);
                offset = add(offset, piece.size());
            }
            extent = Math.max(extent, offset);
        }
    }

    private long move(long offset) throws ConfigException {
        char kind = pos < text.length() ? text.charAt(pos) : ' ';
        switch (kind) {
            case '+' -> {
                pos++;
                return add(offset, number("@+N"));
            }
            case '-' -> {
                pos++;
                long n = number("@-N");
                if (n > offset) {
                    throw error("@-" + n + " must not be larger than the current offset " + offset);
                }
                return offset - n;
            }
            case '^' -> {
                pos++;
                long alignment = number("@^ALIGNMENT");
                if (Long.bitCount(alignment) != 1) {
                    throw error("@^" + alignment + ": the alignment must be a power of 2");
                }
                return add(offset, -offset & (alignment - 1));
            }
            default -> {
                return number("@OFFSET");
            }
        }
    }

    private Piece atom() throws ConfigException {
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            return sequence(true);
        }
        if (c == '"') {
            pos++;
            return bytes(string());
        }
        if (c == '<') {
            pos++;
            return bytes(file());
        }
        if (c == '\\' || c == '$') {
            throw error("named expressions (\\NAME) and variables ($VAR) are not supported");
        }
        if (text.startsWith("le", pos) || text.startsWith("be", pos)) {
            return word();
        }
        if (Character.isDigit(c)) {
            long value = number("BYTE");
            if (value > 255) {
                throw error("BYTE must be in the range 0..255, not " + value);
            }
            return bytes(new byte[] {(byte) value});
        }
        throw error("unexpected '" + c + "'");
    }

    /** Applies any {@code *N} and {@code [N:M]} that follow an expression. */
    private Piece postfix(Piece piece) throws ConfigException {
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                return piece;
            }
            char c = text.charAt(pos);
            if (c == '*') {
                pos++;
                skipBlanks();
                piece = repeat(piece, number("*N"));
            } else if (c == '[') {
                pos++;
                piece = slice(piece);
            } else {
                return piece;
            }
        }
    }

    private Piece repeat(Piece unit, long times) throws ConfigException {
        if (times != 0 && unit.size() > Long.MAX_VALUE / times) {
            throw error("repeating " + unit.size() + " bytes " + times + " times exceeds 2^63-1 bytes");
        }
        // Doubling keeps the work proportional to the result, not to times x log(times).
        SparseImage result = new SparseImage();
        long length = 0;
        Piece power = unit;
        for (long n = times; n > 0; n >>>= 1) {
            if ((n & 1) != 0) {
                result.overlay(power.image(), 0, power.size(), length);
                length += power.size();
            }
            if (n > 1) {
                SparseImage doubled = new SparseImage();
                doubled.overlay(power.image(), 0, power.size(), 0);
                doubled.overlay(power.image(), 0, power.size(), power.size());
                power = new Piece(doubled, power.size() * 2);
            }
        }
        return new Piece(result, length);
    }

    private Piece slice(Piece piece) throws ConfigException {
        skipBlanks();
        long from = peekDigit() ? number("[N:M]") : 0;
        skipBlanks();
        expect(':', "[N:M]");
        skipBlanks();
        long to = peekDigit() ? number("[N:M]") : piece.size();
        skipBlanks();
        expect(']', "[N:M]");
        if (from > to || to > piece.size()) {
            throw error("[" + from + ":" + to + "] does not describe a valid slice of " + piece.size() + " bytes");
        }
        SparseImage result = new SparseImage();
        result.overlay(piece.image(), from, to, 0);
        return new Piece(result, to - from);
    }

    private Piece word() throws ConfigException {
        String kind = text.length() >= pos + 5 && text.charAt(pos + 4) == ':' ? text.substring(pos, pos + 4) : "";
        int bits = switch (kind) {
            case "le16", "be16" -> 16;
            case "le32", "be32" -> 32;
            case "le64", "be64" -> 64;
            default -> throw error("unknown word type (expected le16:, be16:, le32:, be32:, le64: or be64:)");
        };
        pos += 5;
        long value = number(kind + ":WORD");
        if (bits < 64 && (value >>> bits) != 0) {
            throw error(kind + ":" + Long.toUnsignedString(value) + " does not fit in " + bits + " bits");
        }
        byte[] out = new byte[bits / 8];
        boolean little = kind.startsWith("le");
        for (int i = 0; i < out.length; i++) {
            int shift = 8 * (little ? i : out.length - 1 - i);
            out[i] = (byte) (value >>> shift);
        }
        return bytes(out);
    }

    /** A number in C's notation: {@code 0x} hex, leading-{@code 0} octal, or decimal; 64-bit words may use the full unsigned range. */
    private long number(String what) throws ConfigException {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            if (token.startsWith("0x") || token.startsWith("0X")) {
                return parse(token.substring(2), 16, what);
            }
            if (token.length() > 1 && token.startsWith("0")) {
                return parse(token.substring(1), 8, what);
            }
            return parse(token, 10, what);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("could not parse number \"" + token + "\" for " + what);
        }
    }

    private static long parse(String digits, int radix, String what) {
        long value = Long.parseUnsignedLong(digits, radix);
        if (value < 0 && !what.endsWith("WORD")) {
            throw new NumberFormatException("above 2^63-1");
        }
        return value;
    }

    private byte[] string() throws ConfigException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toByteArray();
            }
            if (c != '\\') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case '\\', '"', '\'', '?' -> out.write(e);
                case 'x' -> out.write(escapedDigits(16, 2));
                default -> {
                    if (e >= '0' && e <= '7') {
                        pos--;
                        out.write(escapedDigits(8, 3));
                    } else {
                        throw error("unknown escape sequence '\\" + e + "' in string");
                    }
                }
            }
        }
    }

    private int escapedDigits(int radix, int max) throws ConfigException {
        int value = 0;
        int count = 0;
        while (count < max && pos < text.length() && Character.digit(text.charAt(pos), radix) >= 0) {
            value = value * radix + Character.digit(text.charAt(pos++), radix);
            count++;
        }
        if (count == 0 || value > 255) {
            throw error("bad numeric escape in string");
        }
        return value;
    }

    private byte[] file() throws ConfigException {
        if (pos < text.length() && text.charAt(pos) == '(') {
            throw error("<(SCRIPT) is not supported");
        }
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos);
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (IOException e) {
            throw new ConfigException("data: cannot read <" + name + ": " + e.getMessage(), e);
        }
    }

    private static Piece bytes(byte[] b) {
        SparseImage image = new SparseImage();
        image.write(0, b, 0, b.length);
        return new Piece(image, b.length);
    }

    private long add(long offset, long n) throws ConfigException {
        try {
            return Math.addExact(offset, n);
        } catch (ArithmeticException e) {
            throw error("offset overflows 2^63-1");
        }
    }

    private void skipBlanks() {
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

    private boolean peekDigit() {
        return pos < text.length() && Character.isDigit(text.charAt(pos));
    }

    private void expect(char c, String what) throws ConfigException {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "' in " + what);
        }
        pos++;
    }

    private ConfigException error(String message) {
        return new ConfigException("data: " + message + " (at character " + pos + ")");
    }
}
