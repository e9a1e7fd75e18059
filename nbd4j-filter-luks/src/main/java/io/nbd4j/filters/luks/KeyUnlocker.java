package io.nbd4j.filters.luks;

import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Recovers a LUKSv1 disk's master key from a passphrase, as cryptsetup does: for each enabled key
 * slot, derive the slot's key from the passphrase (PBKDF2 with the header's hash), decrypt the slot's
 * key material with it, merge the anti-forensic stripes back into one key, and accept that key if its
 * PBKDF2 digest is the header's. PBKDF2 is OpenSSL's when libcrypto is installed ({@link NativePbkdf2}),
 * else Bouncy Castle's (the JDK's takes only text passwords, and the digest check hashes the binary
 * master key). Stateless.
 */
final class KeyUnlocker {
    private KeyUnlocker() {}

    /**
     * The master key, reading the key slots' material from {@code below}.
     *
     * @throws NbdException ({@code EINVAL}) if no slot opens with the passphrase, or the header names a
     *                      hash or cipher that is not supported
     */
    static byte[] unlock(LuksHeader header, byte[] passphrase, Handle below) throws IOException {
        Supplier<Digest> hash = Hashes.digest(header.hashSpec());
        if (hash == null) {
            throw new NbdException(NbdError.EINVAL, "luks: hash " + header.hashSpec() + " is not supported");
        }
        for (LuksHeader.KeySlot slot : header.slots()) {
            byte[] slotKey = pbkdf2(header.hashSpec(), hash, passphrase, slot.salt(), slot.iterations(), header.keyBytes());
            byte[] material = readMaterial(below, slot, header.keyBytes());
            try {
                SectorCipher.of(header.cipherName(), header.cipherMode(), slotKey).apply(false, material, 0, material.length, 0);
            } catch (GeneralSecurityException e) {
                throw new NbdException(NbdError.EIO, "luks: decrypting a key slot: " + e.getMessage(), e);
            }
            byte[] candidate = AntiForensic.merge(material, header.keyBytes(), slot.stripes(), hash);
            byte[] digest = pbkdf2(header.hashSpec(), hash, candidate, header.digestSalt(), header.digestIterations(), header.digest().length);
            if (MessageDigest.isEqual(digest, header.digest())) {
                return candidate;
            }
        }
        throw new NbdException(NbdError.EINVAL, "luks: the passphrase opens none of the disk's "
                + header.slots().size() + " key slots");
    }

    /** PBKDF2 from OpenSSL when it is there (fast, see {@link NativePbkdf2}), else from Bouncy Castle. */
    private static byte[] pbkdf2(String hashSpec, Supplier<Digest> hash, byte[] password, byte[] salt, int iterations, int length) {
        byte[] fast = NativePbkdf2.derive(hashSpec, password, salt, iterations, length);
        if (fast != null) {
            return fast;
        }
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(hash.get());
        generator.init(password, salt, iterations);
        return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
    }

    /** The slot's encrypted stripes, whole sectors. */
    private static byte[] readMaterial(Handle below, LuksHeader.KeySlot slot, int keyBytes) throws IOException {
        long length = (long) keyBytes * slot.stripes();
        long sectors = (length + LuksHeader.SECTOR - 1) / LuksHeader.SECTOR;
        long offset = slot.materialSector() * LuksHeader.SECTOR;
        if (offset + sectors * LuksHeader.SECTOR > below.size()) {
            throw new NbdException(NbdError.EINVAL, "luks: a key slot lies beyond the end of the disk");
        }
        byte[] material = new byte[(int) (sectors * LuksHeader.SECTOR)];
        below.pread(ByteBuffer.wrap(material), offset, 0);
        return material;
    }
}
