package io.nbd4j.filters.luks;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A LUKS version 1 header (the "phdr" at the start of the disk; all numbers big-endian, lengths and
 * offsets in 512-byte sectors): the cipher, the hash, where the encrypted payload starts, the master
 * key's size and digest, and the eight key slots. Immutable.
 *
 * @param cipherName       e.g. {@code aes}
 * @param cipherMode       e.g. {@code xts-plain64}, {@code cbc-essiv:sha256}
 * @param hashSpec         the hash of PBKDF2 and of the anti-forensic splitter, e.g. {@code sha256}
 * @param payloadSector    where the encrypted data starts
 * @param keyBytes         the master key's length
 * @param digest           PBKDF2 of the master key, to recognise it
 * @param digestSalt       the salt of {@code digest}
 * @param digestIterations the iterations of {@code digest}
 * @param slots            the enabled key slots
 */
record LuksHeader(String cipherName, String cipherMode, String hashSpec, long payloadSector, int keyBytes,
                  byte[] digest, byte[] digestSalt, int digestIterations, List<KeySlot> slots) {
    /** The header's length: everything up to the end of the last key slot. */
    static final int LENGTH = 592;
    static final int SECTOR = 512;
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    private static final int SLOT_ENABLED = 0x00AC71F3;
    private static final int SLOTS_AT = 208;
    private static final int SLOT_LENGTH = 48;

    /**
     * One key slot: the master key, split by the anti-forensic splitter into {@code stripes} pieces
     * and encrypted with a key derived from a passphrase.
     *
     * @param iterations     PBKDF2 iterations deriving the slot's key from the passphrase
     * @param salt           PBKDF2's salt
     * @param materialSector where the encrypted pieces start
     * @param stripes        how many pieces
     */
    record KeySlot(int iterations, byte[] salt, long materialSector, int stripes) {}

    /**
     * Parses the first {@link #LENGTH} bytes of a disk.
     *
     * @throws NbdException ({@code EINVAL}) naming what is wrong: not LUKS, LUKS2, or impossible values
     */
    static LuksHeader parse(ByteBuffer raw) throws NbdException {
        ByteBuffer b = raw.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw invalid("the disk is not LUKS encrypted (no LUKS header)");
        }
        int version = Short.toUnsignedInt(b.getShort(6));
        if (version != 1) {
            throw invalid("LUKS version " + version + " is not supported, only LUKSv1 "
                    + "(cryptsetup convert --type luks1 converts a LUKS2 disk that allows it)");
        }
        long payload = Integer.toUnsignedLong(b.getInt(104));
        int keyBytes = b.getInt(108);
        int digestIterations = b.getInt(164);
        if (keyBytes <= 0 || keyBytes > 1024 || digestIterations <= 0) {
            throw invalid("the LUKS header has an impossible key size (" + keyBytes + ") or digest iteration count");
        }
        List<KeySlot> slots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int at = SLOTS_AT + i * SLOT_LENGTH;
            if (b.getInt(at) != SLOT_ENABLED) {
                continue;
            }
            int iterations = b.getInt(at + 4);
            int stripes = b.getInt(at + 44);
            if (iterations <= 0 || stripes <= 0 || stripes > 1 << 20) {
                throw invalid("LUKS key slot " + i + " has impossible values");
            }
            slots.add(new KeySlot(iterations, bytes(b, at + 8, 32), Integer.toUnsignedLong(b.getInt(at + 40)), stripes));
        }
        return new LuksHeader(text(b, 8), text(b, 40), text(b, 72), payload, keyBytes,
                bytes(b, 112, 20), bytes(b, 132, 32), digestIterations, List.copyOf(slots));
    }

    /** The cipher as cryptsetup writes it, e.g. {@code aes-xts-plain64}. */
    String cipher() {
        return cipherName + "-" + cipherMode;
    }

    private static String text(ByteBuffer b, int at) {
        byte[] field = bytes(b, at, 32);
        int end = 0;
        while (end < field.length && field[end] != 0) {
            end++;
        }
        return new String(field, 0, end, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuffer b, int at, int length) {
        byte[] out = new byte[length];
        b.get(at, out);
        return out;
    }

    private static NbdException invalid(String message) {
        return new NbdException(NbdError.EINVAL, "luks: " + message);
    }
}
