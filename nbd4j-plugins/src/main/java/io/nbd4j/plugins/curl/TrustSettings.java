package io.nbd4j.plugins.curl;

import io.nbd4j.protocol.pem.PemFiles;

import io.nbd4j.spi.ConfigException;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How the curl plugin checks HTTPS servers: {@code sslverify=}, {@code cainfo=} (a PEM bundle of CA
 * certificates; empty means not the JDK's store) and {@code capath=} (a directory of PEM files).
 * Immutable.
 *
 * @param verify       check the certificate chain and the host name
 * @param noDefaultCas do not trust the JDK's store ({@code cainfo=} was given)
 * @param caInfo       a PEM bundle to trust, or null
 * @param caPath       a directory of PEM files to trust, or null
 */
record TrustSettings(boolean verify, boolean noDefaultCas, Path caInfo, Path caPath) {
    private static final HostnameVerifier ANY_NAME = (name, session) -> true;

    /** The context the HTTP client uses. */
    SSLContext context() throws ConfigException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, verify ? trustManagers() : new TrustManager[] {new TrustingAnyServer()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("curl: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Null for the JDK's host name check, or one that accepts any name when verification is off. */
    HostnameVerifier hostnameVerifier() {
        return verify ? null : ANY_NAME;
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        if (!noDefaultCas && caPath == null) {
            return null;   // the JDK's default trust store
        }
        List<Certificate> authorities = new ArrayList<>();
        if (!noDefaultCas) {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            for (TrustManager m : defaults.getTrustManagers()) {
                if (m instanceof javax.net.ssl.X509TrustManager x509) {
                    authorities.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
        }
        if (caInfo != null) {
            authorities.addAll(read(caInfo));
        }
        if (caPath != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(caPath)) {
                for (Path file : files) {
                    if (Files.isRegularFile(file)) {
                        authorities.addAll(readIfCertificates(file));
                    }
                }
            }
        }
        return PemFiles.trusting(authorities);
    }

    private static Collection<? extends Certificate> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM file of certificates: " + e.getMessage(), e);
        }
    }

    /** A CA directory may hold other files (hash links, CRLs, READMEs): those are skipped. */
    private static Collection<? extends Certificate> readIfCertificates(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * What {@code sslverify=false} asks for: encryption without checking who the server is. Being an
     * extended trust manager, it also keeps the JSSE from checking the host name.
     */
    private static final class TrustingAnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // deliberately accepts any server: the user turned verification off
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // deliberately accepts any server: the user turned verification off
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // deliberately accepts any server: the user turned verification off
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not check client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client does not check client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
