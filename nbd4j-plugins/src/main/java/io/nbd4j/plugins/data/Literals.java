package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Parses the two literal forms of the data format: {@code "strings"} and {@code le32:WORD}-style words. */
final class Literals {
    private static final String[] WORDS = {"le16:", "le32:", "le64:", "be16:", "be32:", "be64:"};

    private Literals() {}

    /**
     * A string whose opening quote the cursor has just passed: C escapes ({@code \n \t \\ \"} …,
     * {@code \xHH}, octal {@code \NNN}, <code>&#92;uXXXX</code> and <code>&#92;UXXXXXXXX</code> as UTF-8); any other
     * escaped character stands for itself; other characters are written in UTF-8.
     */
    static byte[] string(TextCursor in) throws ConfigException {
        int opening = in.position() - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (in.atEnd()) {
                throw in.error(opening, "unterminated string");
            }
            char c = in.next();
            if (c == '"') {
                return out.toByteArray();
            }
            if (c != '\\') {
                if (Character.isHighSurrogate(c) && !in.atEnd() && Character.isLowSurrogate(in.peek())) {
                    out.writeBytes(Character.toString(Character.toCodePoint(c, in.next())).getBytes(StandardCharsets.UTF_8));
                } else {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
                continue;
            }
            if (in.atEnd()) {
                throw in.error(opening, "unterminated string");
            }
            escape(in, out);
        }
    }

    private static void escape(TextCursor in, ByteArrayOutputStream out) throws ConfigException {
        int start = in.position() - 1;
        char e = in.next();
        switch (e) {
            case 'a' -> out.write(7);
            case 'b' -> out.write(8);
            case 'f' -> out.write(12);
            case 'n' -> out.write(10);
            case 'r' -> out.write(13);
            case 't' -> out.write(9);
            case 'v' -> out.write(11);
            case 'x' -> out.write((int) digits(in, start, 16, 2, 2, "\\xHH needs exactly two hexadecimal digits"));
            case 'u', 'U' -> {
                int codePoint = (int) digits(in, start, 16, e == 'u' ? 4 : 8, e == 'u' ? 4 : 8,
                        "\\" + e + " needs exactly " + (e == 'u' ? 4 : 8) + " hexadecimal digits");
                if (!Character.isValidCodePoint(codePoint) || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
                    throw in.error(start, "\\" + e + " names no Unicode character");
                }
                out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                in.skip(-1);
                long value = digits(in, start, 8, 1, 3, "bad octal escape");
                if (value > 255) {
                    throw in.error(start, "octal escape \\" + Long.toOctalString(value) + " is larger than 255 (\\377)");
                }
                out.write((int) value);
            }
            case '8', '9' -> throw in.error(start, "\\" + e + " is not an octal escape");
            default -> out.write(e);
        }
    }

    private static long digits(TextCursor in, int start, int radix, int min, int max, String problem) throws ConfigException {
        long value = 0;
        int count = 0;
        while (count < max && !in.atEnd() && Character.digit(in.peek(), radix) >= 0 && in.peek() < 128) {
            value = value * radix + Character.digit(in.next(), radix);
            count++;
        }
        if (count < min) {
            throw in.error(start, problem);
        }
        return value;
    }

    /** Whether a word ({@code le16:} …) starts here. */
    static boolean wordAhead(TextCursor in) {
        return in.startsWith("le") || in.startsWith("be");
    }

    /** A {@code le16: le32: le64: be16: be32: be64:} word, which the cursor is at. */
    static byte[] word(TextCursor in) throws ConfigException {
        for (String kind : WORDS) {
            if (in.startsWith(kind)) {
                in.skip(kind.length());
                int bits = Integer.parseInt(kind.substring(2, 4));
                long value = in.bounded(kind + "WORD", bits);
                byte[] out = new byte[bits / 8];
                boolean little = kind.startsWith("le");
                for (int i = 0; i < out.length; i++) {
                    int shift = 8 * (little ? i : out.length - 1 - i);
                    out[i] = (byte) (value >>> shift);
                }
                return out;
            }
        }
        throw in.error("expected a word: le16:, le32:, le64:, be16:, be32: or be64: and a number");
    }
}
