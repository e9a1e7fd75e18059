package io.nbd4j.server.tls;

import io.nbd4j.protocol.pem.PemFiles;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the server's {@link SSLContext} from a directory laid out as nbdkit (and GnuTLS tools) lay
 * it out: {@code server-cert.pem} (the server certificate, optionally followed by intermediates),
 * {@code server-key.pem} (its unencrypted private key), and, for checking client certificates,
 * {@code ca-cert.pem} plus an optional {@code ca-crl.pem}. The JDK's keytool cannot read PEM, so the
 * key store is built in memory and never written anywhere. Stateless.
 */
public final class CertificateDirectory {
    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_CRL = "ca-crl.pem";
    public static final String SERVER_CERT = "server-cert.pem";
    public static final String SERVER_KEY = "server-key.pem";

    private CertificateDirectory() {}

    /** Whether {@code dir} holds the files a server needs (certificate and key). */
    public static boolean hasServerCredentials(Path dir) {
        return Files.isReadable(dir.resolve(SERVER_CERT)) && Files.isReadable(dir.resolve(SERVER_KEY));
    }

    /**
     * Loads the credentials.
     *
     * @param verifyPeer require clients to present a certificate signed by {@code ca-cert.pem}
     * @throws IOException naming the file at fault when one is missing, unreadable or does not parse
     */
    public static SSLContext load(Path dir, boolean verifyPeer) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(dir.resolve(SERVER_CERT));
        if (chain.isEmpty()) {
            throw new IOException(dir.resolve(SERVER_CERT) + ": no CERTIFICATE block");
        }
        PrivateKey key = PemFiles.privateKey(dir.resolve(SERVER_KEY));
        requireMatchingKey(chain.getFirst(), key, dir);
        try {
            char[] password = "in-memory".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), verifyPeer ? clientTrust(dir) : null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] clientTrust(Path dir) throws IOException, GeneralSecurityException {
        Path caFile = dir.resolve(CA_CERT);
        List<X509Certificate> authorities = PemFiles.certificates(caFile);
        if (authorities.isEmpty()) {
            throw new IOException(caFile + ": no CERTIFICATE block (needed to check client certificates)");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        authorities.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, null);
        List<CRL> crls = PemFiles.revocations(dir.resolve(CA_CRL));
        parameters.setRevocationEnabled(!crls.isEmpty());
        if (!crls.isEmpty()) {
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(new CertPathTrustManagerParameters(parameters));
        return trust.getTrustManagers();
    }

    /** A key that does not belong to the certificate would only fail later, in every client's handshake. */
    private static void requireMatchingKey(X509Certificate certificate, PrivateKey key, Path dir) throws IOException {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();   // Ed25519, Ed448 and RSASSA-PSS name their own signature
        };
        if (algorithm.equals("RSASSA-PSS")) {
            return;   // PSS needs parameters from the certificate; every TLS handshake checks the pair anyway
        }
        try {
            byte[] probe = "nbd4j key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's ends up here too
        }
        throw new IOException(dir.resolve(SERVER_KEY) + " is not the private key of " + dir.resolve(SERVER_CERT));
    }
}
