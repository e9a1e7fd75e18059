package io.nbd4j.filters.luks;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES sectors with a mode of the JDK: CBC, each sector chained from its own initial vector, or ECB,
 * which needs none. Immutable.
 */
final class JdkSectors implements SectorCipher {
    private final String transformation;
    private final SecretKeySpec key;
    private final SectorIv iv;

    /** @param iv the vector generator, or {@code null} for ECB */
    JdkSectors(String transformation, byte[] key, SectorIv iv) {
        this.transformation = transformation;
        this.key = new SecretKeySpec(key, "AES");
        this.iv = iv;
    }

    @Override
    public void apply(boolean encrypt, byte[] data, int offset, int length, long sector) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(transformation);
        int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        if (iv == null) {
            cipher.init(mode, key);
            cipher.doFinal(data, offset, length, data, offset);
            return;
        }
        SectorIv.Generator vectors = iv.generator();
        byte[] vector = new byte[SectorIv.LENGTH];
        for (int at = 0; at < length; at += LuksHeader.SECTOR) {
            cipher.init(mode, key, new IvParameterSpec(vectors.of(sector + at / LuksHeader.SECTOR, vector)));
            cipher.doFinal(data, offset + at, LuksHeader.SECTOR, data, offset + at);
        }
    }
}
