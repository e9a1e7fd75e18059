package io.nbd4j.plugins.partitioning;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * GUIDs as GPT stores them: written {@code 0FC63DAF-8483-4772-8E79-3D69D8477DE4} (optionally in
 * braces), stored with the first three groups little-endian and the last two as written.
 *
 * <p>Stateless; safe from any thread.
 */
final class Guids {
    /** Linux filesystem data, the default partition type. */
    static final String LINUX_FILESYSTEM = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    private static final Pattern TEXT = Pattern.compile(
            "\\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})}?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Guids() {}

    /** The 16 on-disk bytes of {@code text}, or null if it is not a GUID. */
    static byte[] parse(String text) {
        var m = TEXT.matcher(text);
        if (!m.matches() || text.startsWith("{") != text.endsWith("}")) {
            return null;
        }
        byte[] out = new byte[16];
        HexFormat hex = HexFormat.of();
        putReversed(hex.parseHex(m.group(1)), out, 0);
        putReversed(hex.parseHex(m.group(2)), out, 4);
        putReversed(hex.parseHex(m.group(3)), out, 6);
        System.arraycopy(hex.parseHex(m.group(4)), 0, out, 8, 2);
        System.arraycopy(hex.parseHex(m.group(5)), 0, out, 10, 6);
        return out;
    }

    /** A random version 4 GUID, in on-disk byte order. */
    static byte[] random() {
        byte[] guid = new byte[16];
        RANDOM.nextBytes(guid);
        guid[7] = (byte) ((guid[7] & 0x0f) | 0x40);
        guid[8] = (byte) ((guid[8] & 0x3f) | 0x80);
        return guid;
    }

    private static void putReversed(byte[] group, byte[] out, int at) {
        for (int i = 0; i < group.length; i++) {
            out[at + i] = group[group.length - 1 - i];
        }
    }
}
