package io.nbd4j.protocol.pem;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the PEM files of an nbdkit/GnuTLS certificate directory: certificates, revocation lists and
 * unencrypted private keys; and makes trust managers of certificates. The server's and the client's TLS set-up both use it, because the JDK's
 * keytool cannot read PEM keys. Stateless.
 */
public final class PemFiles {
    private PemFiles() {}

    /** Every {@code CERTIFICATE} block of {@code file}, in order (empty if it has none). */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : blocks(file)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        return certificates;
    }

    /** Every {@code X509 CRL} block of {@code file}, or none when the file does not exist. */
    public static List<CRL> revocations(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<CRL> crls = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : blocks(file)) {
                if (block.label().equals("X509 CRL")) {
                    crls.add(factory.generateCRL(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a valid certificate revocation list: " + e.getMessage(), e);
        }
        return crls;
    }

    /** The first private key block of {@code file} (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    public static PrivateKey privateKey(Path file) throws IOException {
        for (PemBlock block : blocks(file)) {
            if (block.label().endsWith("PRIVATE KEY")) {
                return PrivateKeyDecoder.decode(block, file.toString());
            }
        }
        throw new IOException(file + ": no PRIVATE KEY block");
    }

    /** Trust managers that accept exactly the chains leading to {@code authorities} (PKIX, no revocation check). */
    public static TrustManager[] trusting(List<? extends Certificate> authorities) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < authorities.size(); i++) {
            store.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static List<PemBlock> blocks(Path file) throws IOException {
        try {
            return PemBlock.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }
}
