package io.nbd4j.filters.luks;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.security.GeneralSecurityException;

/**
 * An unlocked LUKS disk: where its encrypted payload starts and the cipher of its sectors. Immutable.
 *
 * @param payloadOffset the payload's first byte in the layer below
 * @param cipher        the payload's cipher under the master key
 */
record LuksVolume(long payloadOffset, SectorCipher cipher) {
    /** Decrypts or encrypts whole payload sectors in place, the first being payload sector {@code sector}. */
    void apply(boolean encrypt, byte[] data, int length, long sector) throws NbdException {
        try {
            cipher.apply(encrypt, data, 0, length, sector);
        } catch (GeneralSecurityException e) {
            throw new NbdException(NbdError.EIO, "luks: " + (encrypt ? "encrypting" : "decrypting") + " sectors: " + e.getMessage(), e);
        }
    }
}
