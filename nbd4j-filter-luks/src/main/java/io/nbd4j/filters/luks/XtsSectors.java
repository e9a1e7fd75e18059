package io.nbd4j.filters.luks;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES-256-XTS sectors through Amazon Corretto Crypto Provider ({@code AES/XTS/NoPadding}, IEEE 1619,
 * a 512-bit key: the data key then the tweak key, as dm-crypt orders them), the tweak being the
 * sector's initial vector. The provider takes one sector per initialisation. Immutable.
 */
final class XtsSectors implements SectorCipher {
    static final int KEY_BYTES = 64;

    private final SecretKeySpec key;
    private final SectorIv iv;

    XtsSectors(byte[] key, SectorIv iv) {
        this.key = new SecretKeySpec(key, "AES");
        this.iv = iv;
    }

    /** Why AES-XTS cannot be used on this machine, or {@code null} if it can. */
    static String unavailableReason() {
        Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        return error == null ? null : "Amazon Corretto Crypto Provider did not load (" + error + "); it runs on Linux x86-64";
    }

    @Override
    public void apply(boolean encrypt, byte[] data, int offset, int length, long sector) throws GeneralSecurityException {
        // A fresh cipher per call: the provider refuses to encrypt twice in a row with the same key
        // and tweak on one object, which rewriting a sector would do.
        Cipher xts = Cipher.getInstance("AES/XTS/NoPadding", AmazonCorrettoCryptoProvider.INSTANCE);
        SectorIv.Generator vectors = iv.generator();
        byte[] tweak = new byte[SectorIv.LENGTH];
        int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        for (int at = 0; at < length; at += LuksHeader.SECTOR) {
            xts.init(mode, key, new IvParameterSpec(vectors.of(sector + at / LuksHeader.SECTOR, tweak)));
            xts.doFinal(data, offset + at, LuksHeader.SECTOR, data, offset + at);
        }
    }
}
