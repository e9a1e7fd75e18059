package io.nbd4j.server;

import io.nbd4j.server.tls.CertificateDirectory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the server offers TLS ({@code NBD_OPT_STARTTLS}). Immutable; one {@link SSLEngine} is made per
 * connection that asks for TLS.
 *
 * @param mode       off, on (the client chooses) or require (nothing but STARTTLS and ABORT before TLS)
 * @param context    the server's credentials; null only when {@code mode} is off
 * @param verifyPeer require a client certificate the context's trust managers accept
 */
public record TlsSettings(Mode mode, SSLContext context, boolean verifyPeer) {
    /** The protocol's NOTLS, SELECTIVETLS (every export allowed in plaintext) and FORCEDTLS modes. */
    public enum Mode { OFF, ON, REQUIRE }

    public TlsSettings {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.OFF && context == null) {
            throw new IllegalArgumentException("TLS mode " + mode + " needs an SSLContext");
        }
    }

    public static TlsSettings off() {
        return new TlsSettings(Mode.OFF, null, false);
    }

    /** Credentials from a directory holding {@code server-cert.pem}, {@code server-key.pem} and {@code ca-cert.pem}. */
    public static TlsSettings fromCertificates(Mode mode, Path directory, boolean verifyPeer) throws IOException {
        return new TlsSettings(mode, CertificateDirectory.load(directory, verifyPeer), verifyPeer);
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /**
     * A server-side engine for one connection: TLS 1.3 or 1.2, or only 1.2 when client certificates
     * are required. The reason for the latter: in TLS 1.3 the JDK asks for client certificates offering
     * RSA only with PSS padding, and GnuTLS clients (libnbd, qemu) holding an RSA key then send no
     * certificate at all; in TLS 1.2 they do.
     */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(verifyPeer ? new String[] {"TLSv1.2"} : new String[] {"TLSv1.3", "TLSv1.2"});
        parameters.setNeedClientAuth(verifyPeer);
        engine.setSSLParameters(parameters);
        return engine;
    }
}
