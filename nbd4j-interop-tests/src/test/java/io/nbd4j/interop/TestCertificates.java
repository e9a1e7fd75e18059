package io.nbd4j.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority with a server certificate (for {@code localhost}, 127.0.0.1 and
 * ::1) and a client certificate, made with {@code openssl} at test time in the layout nbdkit, libnbd and
 * qemu read: {@code ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem},
 * {@code client-cert.pem}, {@code client-key.pem}. Used by one test thread.
 */
final class TestCertificates {
    /** How the server's private key is written: the three unencrypted PEM forms in use. */
    enum KeyForm {
        /** {@code BEGIN PRIVATE KEY}, RSA, as {@code openssl genpkey} writes it. */
        PKCS8_RSA,
        /** {@code BEGIN RSA PRIVATE KEY}, as older {@code certtool} and {@code openssl genrsa -traditional} write it. */
        PKCS1_RSA,
        /** {@code BEGIN EC PRIVATE KEY} on P-256, as {@code openssl ecparam -genkey} writes it. */
        SEC1_EC
    }

    private TestCertificates() {}

    /** Creates everything in {@code dir}; the CA's own key is in {@code dir/ca-key.pem}. */
    static Path create(Path dir, KeyForm serverKey) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca-cert.pem",
                "-days", "2", "-subj", "/CN=nbd4j test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        switch (serverKey) {
            case PKCS8_RSA -> openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server-key.pem");
            case PKCS1_RSA -> openssl(dir, "genrsa", "-traditional", "-out", "server-key.pem", "2048");
            case SEC1_EC -> openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-key.pem");
        }
        String serverUsage = serverKey == KeyForm.SEC1_EC ? "digitalSignature" : "digitalSignature,keyEncipherment";
        issue(dir, "server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                + "extendedKeyUsage=serverAuth\nkeyUsage=critical," + serverUsage + "\n");
        openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client-key.pem");
        issue(dir, "client", "/CN=nbd4j test client", "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        return dir;
    }

    /** Copies only the CA certificate into {@code dir}: a client that checks the server but has no certificate of its own. */
    static Path caOnly(Path certificates, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.copy(certificates.resolve("ca-cert.pem"), dir.resolve("ca-cert.pem"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Revokes the client certificate: writes {@code ca-crl.pem} listing it, signed by the CA. */
    static void revokeClientCertificate(Path dir) {
        try {
            Files.writeString(dir.resolve("index.txt"), "");
            Files.writeString(dir.resolve("ca.cnf"),
                    "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ndefault_md = sha256\ndefault_crl_days = 2\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(dir, "ca", "-config", "ca.cnf", "-keyfile", "ca-key.pem", "-cert", "ca-cert.pem", "-revoke", "client-cert.pem");
        openssl(dir, "ca", "-config", "ca.cnf", "-keyfile", "ca-key.pem", "-cert", "ca-cert.pem", "-gencrl", "-out", "ca-crl.pem");
    }

    private static void issue(Path dir, String name, String subject, String extensions) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extensions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(dir, "req", "-new", "-key", name + "-key.pem", "-subj", subject, "-out", name + ".csr");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "2", "-out", name + "-cert.pem", "-extfile", name + ".ext");
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Commands.runOk(Duration.ofSeconds(60), dir, command);
    }
}
