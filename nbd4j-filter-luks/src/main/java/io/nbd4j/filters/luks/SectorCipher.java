package io.nbd4j.filters.luks;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.security.GeneralSecurityException;

/**
 * Encrypts and decrypts whole 512-byte sectors of a LUKS disk with one key, each sector with the
 * initial vector (or XTS tweak) of its number, as dm-crypt and qemu do. The modes themselves come
 * from libraries: XTS from Amazon Corretto Crypto Provider, CBC and ECB from the JDK.
 *
 * <p><b>Threads.</b> Implementations are immutable; each call makes its own cipher objects, so any
 * number of threads may call at once.
 */
interface SectorCipher {
    /**
     * Encrypts ({@code encrypt}) or decrypts {@code data[offset, offset + length)} in place; {@code length}
     * is a multiple of 512 and the first sector's number is {@code sector}.
     */
    void apply(boolean encrypt, byte[] data, int offset, int length, long sector) throws GeneralSecurityException;

    /**
     * The cipher that LUKS's {@code cipher-name} and {@code cipher-mode} (e.g. {@code aes},
     * {@code xts-plain64}) stand for, with {@code key}.
     *
     * @throws NbdException ({@code EINVAL}) naming the combination that is not supported, and why
     */
    static SectorCipher of(String cipherName, String cipherMode, byte[] key) throws NbdException {
        String spec = cipherName + "-" + cipherMode;
        if (!cipherName.equals("aes")) {
            throw unsupported(spec, "only the aes cipher is supported");
        }
        int dash = cipherMode.indexOf('-');
        String chaining = dash < 0 ? cipherMode : cipherMode.substring(0, dash);
        String ivSpec = dash < 0 ? "" : cipherMode.substring(dash + 1);
        return switch (chaining) {
            case "xts" -> {
                if (key.length != XtsSectors.KEY_BYTES) {
                    throw unsupported(spec + " with a " + key.length * 8 + "-bit key",
                            "XTS is available only as AES-256-XTS (a 512-bit key, qemu-img's default): Amazon Corretto "
                                    + "Crypto Provider implements no other, and neither the JDK nor Bouncy Castle has XTS");
                }
                yield new XtsSectors(key, SectorIv.of(spec, ivSpec, key));
            }
            case "cbc" -> new JdkSectors("AES/CBC/NoPadding", key, SectorIv.of(spec, ivSpec, key));
            case "ecb" -> new JdkSectors("AES/ECB/NoPadding", key, null);
            default -> throw unsupported(spec, "the chaining mode must be xts, cbc or ecb");
        };
    }

    static NbdException unsupported(String spec, String why) {
        return new NbdException(NbdError.EINVAL, "luks: cipher " + spec + " is not supported: " + why);
    }
}
