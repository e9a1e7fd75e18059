package io.nbd4j.filters.luks;

import io.nbd4j.spi.NbdException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The 16-byte initial vector of a sector, by dm-crypt's generators: {@code plain} (the sector number's
 * low 32 bits, little-endian), {@code plain64} (all 64 bits) and {@code essiv:HASH} (the plain64 vector
 * encrypted with AES under the hash of the master key, so vectors cannot be predicted). Immutable.
 */
final class SectorIv {
    static final int LENGTH = 16;

    private final boolean wide;
    private final byte[] essivKey;

    private SectorIv(boolean wide, byte[] essivKey) {
        this.wide = wide;
        this.essivKey = essivKey;
    }

    static SectorIv of(String spec, String ivSpec, byte[] masterKey) throws NbdException {
        if (ivSpec.equals("plain")) {
            return new SectorIv(false, null);
        }
        if (ivSpec.equals("plain64")) {
            return new SectorIv(true, null);
        }
        if (ivSpec.startsWith("essiv:")) {
            String hash = Hashes.jdkName(ivSpec.substring(6));
            try {
                return new SectorIv(true, MessageDigest.getInstance(hash).digest(masterKey));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw SectorCipher.unsupported(spec, "the ESSIV hash " + ivSpec.substring(6) + " is not available");
            }
        }
        throw SectorCipher.unsupported(spec, "the IV generator must be plain, plain64 or essiv:HASH");
    }

    /** A generator for one call: it may keep a cipher, so it is used by one thread. */
    Generator generator() throws GeneralSecurityException {
        Cipher essiv = null;
        if (essivKey != null) {
            essiv = Cipher.getInstance("AES/ECB/NoPadding");
            essiv.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(essivKey, "AES"));
        }
        return new Generator(essiv);
    }

    /** Fills vectors; not thread-safe. */
    final class Generator {
        private final Cipher essiv;

        private Generator(Cipher essiv) {
            this.essiv = essiv;
        }

        /** The vector of {@code sector}, in {@code into} (16 bytes, overwritten). */
        byte[] of(long sector, byte[] into) throws GeneralSecurityException {
            Arrays.fill(into, (byte) 0);
            long n = wide ? sector : sector & 0xffffffffL;
            for (int i = 0; i < 8; i++) {
                into[i] = (byte) (n >>> (8 * i));
            }
            if (essiv != null) {
                essiv.doFinal(into, 0, LENGTH, into, 0);
            }
            return into;
        }
    }
}
