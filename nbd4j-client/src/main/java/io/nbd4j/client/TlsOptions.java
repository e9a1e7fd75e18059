package io.nbd4j.client;

import io.nbd4j.protocol.pem.PemFiles;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Whether and how a client asks for TLS ({@code NBD_OPT_STARTTLS}), with the certificates it trusts and
 * presents. Immutable; an {@link SSLEngine} is made per connection.
 *
 * @param mode       off (never ask), on (ask, and go on in plaintext if the server refuses) or require
 * @param context    trust and client credentials; null only when {@code mode} is off
 * @param verifyPeer check the server's certificate chain, and for TCP its name; false trusts any server
 */
public record TlsOptions(Mode mode, SSLContext context, boolean verifyPeer) {
    /** The client's TLS modes, as libnbd and nbdkit's nbd plugin name them. */
    public enum Mode { OFF, ON, REQUIRE }

    /** A certificate directory's CA certificate, as GnuTLS tools and libnbd name it. */
    public static final String CA_CERT = "ca-cert.pem";
    public static final String CLIENT_CERT = "client-cert.pem";
    public static final String CLIENT_KEY = "client-key.pem";

    private static final TlsOptions OFF = new TlsOptions(Mode.OFF, null, false);

    public TlsOptions {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.OFF && context == null) {
            throw new IllegalArgumentException("TLS mode " + mode + " needs an SSLContext");
        }
    }

    public static TlsOptions off() {
        return OFF;
    }

    /**
     * Credentials from a directory laid out as libnbd reads it: {@code ca-cert.pem} (the authorities
     * trusted to sign the server's certificate; without it the JDK's default trust store is used) and,
     * optionally, {@code client-cert.pem} with {@code client-key.pem} (presented when the server asks for
     * a client certificate). {@code directory} may be null: default trust, no client certificate.
     *
     * @throws IOException naming the file at fault
     */
    public static TlsOptions fromCertificates(Mode mode, Path directory, boolean verifyPeer) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(clientKeys(directory), verifyPeer ? trust(directory) : new TrustManager[] {new TrustingAnyServer()},
                    new SecureRandom());
            return new TlsOptions(mode, context, verifyPeer);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS certificates in " + directory + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** A client-side engine for a connection to {@code address}; the server's name is checked only for TCP. */
    SSLEngine newEngine(NbdAddress address) {
        SSLEngine engine;
        if (address instanceof NbdAddress.Tcp tcp) {
            engine = context.createSSLEngine(tcp.host(), tcp.port());
        } else {
            engine = context.createSSLEngine();
        }
        engine.setUseClientMode(true);
        if (verifyPeer && address instanceof NbdAddress.Tcp) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return engine;
    }

    private static KeyManager[] clientKeys(Path directory) throws IOException, GeneralSecurityException {
        if (directory == null || !Files.exists(directory.resolve(CLIENT_CERT))) {
            return null;
        }
        List<X509Certificate> chain = PemFiles.certificates(directory.resolve(CLIENT_CERT));
        if (chain.isEmpty()) {
            throw new IOException(directory.resolve(CLIENT_CERT) + ": no CERTIFICATE block");
        }
        PrivateKey key = PemFiles.privateKey(directory.resolve(CLIENT_KEY));
        char[] password = "in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(store, password);
        return keys.getKeyManagers();
    }

    private static TrustManager[] trust(Path directory) throws IOException, GeneralSecurityException {
        if (directory == null || !Files.exists(directory.resolve(CA_CERT))) {
            return null;   // the JDK's default trust store
        }
        List<X509Certificate> authorities = PemFiles.certificates(directory.resolve(CA_CERT));
        if (authorities.isEmpty()) {
            throw new IOException(directory.resolve(CA_CERT) + ": no CERTIFICATE block");
        }
        return PemFiles.trusting(authorities);
    }

    /** What {@code tls-verify=false} asks for: encryption without checking who the server is. */
    private static final class TrustingAnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client does not check client certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // deliberately accepts any server: the user turned verification off
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
