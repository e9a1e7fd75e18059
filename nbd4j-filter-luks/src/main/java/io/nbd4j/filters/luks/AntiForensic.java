package io.nbd4j.filters.luks;

import org.bouncycastle.crypto.Digest;

import java.util.function.Supplier;

/**
 * LUKS's anti-forensic information splitter, in the direction a reader needs: merging the stripes of a
 * key slot back into the key. The key was stored as {@code stripes} pieces of which all but the last
 * are random; each piece is folded into a running value that is "diffused" by the header's hash
 * between pieces, so losing any one stripe loses the key. This is LUKS's own construction (defined by
 * its specification, not a cipher), so it is written here. Stateless.
 */
final class AntiForensic {
    private AntiForensic() {}

    /** The key of {@code keyBytes} bytes that the first {@code keyBytes × stripes} bytes of {@code material} hold. */
    static byte[] merge(byte[] material, int keyBytes, int stripes, Supplier<Digest> hash) {
        byte[] value = new byte[keyBytes];
        for (int stripe = 0; stripe < stripes; stripe++) {
            int from = stripe * keyBytes;
            for (int i = 0; i < keyBytes; i++) {
                value[i] ^= material[from + i];
            }
            if (stripe < stripes - 1) {
                value = diffuse(value, hash.get());
            }
        }
        return value;
    }

    /** Replaces each digest-sized piece {@code i} of {@code value} by the hash of {@code i} (32-bit big-endian) and the piece. */
    private static byte[] diffuse(byte[] value, Digest digest) {
        int size = digest.getDigestSize();
        byte[] out = new byte[value.length];
        byte[] hashed = new byte[size];
        for (int piece = 0; piece * size < value.length; piece++) {
            int from = piece * size;
            int n = Math.min(size, value.length - from);
            digest.update((byte) (piece >>> 24));
            digest.update((byte) (piece >>> 16));
            digest.update((byte) (piece >>> 8));
            digest.update((byte) piece);
            digest.update(value, from, n);
            digest.doFinal(hashed, 0);
            System.arraycopy(hashed, 0, out, from, n);
        }
        return out;
    }
}
