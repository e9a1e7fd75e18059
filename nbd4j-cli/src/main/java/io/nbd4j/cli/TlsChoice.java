package io.nbd4j.cli;

import io.nbd4j.server.TlsSettings;
import io.nbd4j.server.TlsSettings.Mode;
import io.nbd4j.server.tls.CertificateDirectory;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@code --tls}, {@code --tls-certificates} and {@code --tls-verify-peer} into {@link TlsSettings},
 * with nbdkit's defaults: without {@code --tls}, TLS is on when certificates are found (in the given
 * directory or nbdkit's default ones) and off otherwise; {@code --tls=on} without certificates warns and
 * falls back to off; {@code --tls=require} without them is an error. Stateless.
 */
final class TlsChoice {
    private TlsChoice() {}

    static TlsSettings from(CliOptions o, PrintStream err) throws ConfigException, UsageException {
        if (o.tlsPsk != null) {
            throw new UsageException("--tls-psk: TLS with pre-shared keys is not available (the JDK's TLS has no PSK "
                    + "cipher suites); use --tls-certificates=DIR instead");
        }
        Mode mode = o.tls == null ? null : parseMode(o.tls);
        if (mode == Mode.OFF) {
            return TlsSettings.off();
        }
        Path dir = o.tlsCertificates != null ? o.tlsCertificates : defaultDirectory();
        if (dir == null || !CertificateDirectory.hasServerCredentials(dir)) {
            String where = dir == null ? "no certificate directory found" : dir + " lacks "
                    + CertificateDirectory.SERVER_CERT + " or " + CertificateDirectory.SERVER_KEY;
            if (mode == Mode.REQUIRE || (mode == null && o.tlsCertificates != null)) {
                throw new UsageException("--tls: cannot load TLS certificates: " + where);
            }
            if (mode == Mode.ON) {
                err.println("nbd4j: warning: --tls=on: " + where + "; TLS is disabled");
            }
            return TlsSettings.off();
        }
        try {
            return TlsSettings.fromCertificates(mode == null ? Mode.ON : mode, dir, o.tlsVerifyPeer);
        } catch (IOException e) {
            throw new UsageException("--tls: cannot load TLS certificates: " + e.getMessage());
        }
    }

    /** nbdkit's words: require, required or force; otherwise any boolean word for on or off. */
    static Mode parseMode(String text) throws ConfigException {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "require", "required", "force" -> Mode.REQUIRE;
            default -> {
                try {
                    yield Values.parseBool("--tls", text) ? Mode.ON : Mode.OFF;
                } catch (ConfigException e) {
                    throw new ConfigException("--tls: unknown value '" + text
                            + "' (expected off, on or require; or a boolean word such as yes/no)");
                }
            }
        };
    }

    /** The first of nbdkit's default certificate directories that holds server credentials, or null. */
    private static Path defaultDirectory() {
        List<Path> candidates = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        String home = System.getenv("HOME");
        if (!root && home != null) {
            candidates.add(Path.of(home, ".pki", "nbdkit"));
            candidates.add(Path.of(home, ".config", "pki", "nbdkit"));
        }
        if (root) {
            candidates.add(Path.of("/etc/pki/nbdkit"));
        }
        return candidates.stream().filter(CertificateDirectory::hasServerCredentials).findFirst().orElse(null);
    }
}
