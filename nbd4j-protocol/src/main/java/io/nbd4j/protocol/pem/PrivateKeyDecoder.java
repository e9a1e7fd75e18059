package io.nbd4j.protocol.pem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * Turns the private key block of a PEM file into a {@link PrivateKey}. Accepts the three unencrypted
 * forms tools write: PKCS#8 ({@code PRIVATE KEY}, from {@code openssl genpkey} and recent
 * {@code certtool}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}). The last two
 * are rewrapped as PKCS#8, the only encoding the JDK's key factories read. Stateless.
 */
final class PrivateKeyDecoder {
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** The OID id-ecPublicKey (1.2.840.10045.2.1), tag and length included. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] PKCS8_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private PrivateKeyDecoder() {}

    static PrivateKey decode(PemBlock block, String fileName) throws IOException {
        return switch (block.label()) {
            case "PRIVATE KEY" -> pkcs8(block.der(), fileName);
            case "RSA PRIVATE KEY" -> keyFactory("RSA", sequence(VERSION_0, RSA_ALGORITHM, octetString(block.der())), fileName);
            case "EC PRIVATE KEY" -> keyFactory("EC", sequence(VERSION_0, sequence(EC_PUBLIC_KEY_OID, curveOf(block.der(), fileName)),
                    octetString(block.der())), fileName);
            case "ENCRYPTED PRIVATE KEY" -> throw new IOException(fileName
                    + ": encrypted private keys are not supported; store the key unencrypted (mode 0600)");
            default -> throw new IOException(fileName + ": a " + block.label() + " block is not a private key");
        };
    }

    private static PrivateKey pkcs8(byte[] der, String fileName) throws IOException {
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisAlgorithm) {
                // try the next algorithm: PKCS#8 names it inside, and asking each factory is simpler than parsing
            }
        }
        throw new IOException(fileName + ": the private key is not an RSA, EC, EdDSA or DSA key the JDK can read");
    }

    private static PrivateKey keyFactory(String algorithm, byte[] pkcs8, String fileName) throws IOException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(fileName + ": cannot read the " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /**
     * The named-curve OID (tag and length included) in the {@code [0]} parameters of a SEC1
     * ECPrivateKey: {@code SEQUENCE { INTEGER 1, OCTET STRING, [0] OID, [1] BIT STRING }}.
     */
    private static byte[] curveOf(byte[] sec1, String fileName) throws IOException {
        try {
            int[] outer = header(sec1, 0);
            int pos = outer[0];
            int end = pos + outer[1];
            while (pos < end) {
                int tag = sec1[pos] & 0xff;
                int[] h = header(sec1, pos);
                if (tag == 0xa0) {
                    return Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
                }
                pos = h[0] + h[1];
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException(fileName + ": the EC private key is truncated", e);
        }
        throw new IOException(fileName + ": the EC private key does not name its curve");
    }

    /** The offset of the contents and their length, for the DER element at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        int length = der[pos + 1] & 0xff;
        int contents = pos + 2;
        if (length >= 0x80) {
            int bytes = length & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[contents++] & 0xff);
            }
        }
        if (length < 0 || contents + length > der.length) {
            throw new ArrayIndexOutOfBoundsException("element at " + pos + " runs past the end");
        }
        return new int[] {contents, length};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return element(0x30, body.toByteArray());
    }

    private static byte[] octetString(byte[] contents) {
        return element(0x04, contents);
    }

    private static byte[] element(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = contents.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }
}
