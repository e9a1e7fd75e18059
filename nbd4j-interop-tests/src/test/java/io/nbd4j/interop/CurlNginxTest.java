package io.nbd4j.interop;

import io.nbd4j.interop.TestCertificates.KeyForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curl plugin of each server (nbd4j's and nbdkit's, same parameters) in front of a real nginx, over
 * HTTP and HTTPS: what nbdcopy and qemu-img read through it must be the file nginx serves, byte for byte;
 * certificates, Basic authentication, redirects, headers and cookies work as in nbdkit.
 */
class CurlNginxTest {
    private static final int SIZE_MIB = 16;

    @TempDir
    static Path dir;
    private static Nginx nginx;
    private static Path pki;
    private static Path image;
    private static Path passwordFile;

    @BeforeAll
    static void startNginx() throws IOException {
        pki = TestCertificates.create(Files.createDirectories(dir.resolve("pki")), KeyForm.PKCS8_RSA);
        image = Nginx.www(dir.resolve("nginx")).resolve("disk.img");
        NbdcopyRoundTripTest.writeRandomFile(image, SIZE_MIB);
        passwordFile = Files.writeString(dir.resolve("password"), Nginx.PASSWORD + "\n");
        nginx = Nginx.start(dir.resolve("nginx"), pki);
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    /** Copies the whole disk the server makes of {@code url} and checks it is the file nginx serves. */
    private static void assertServesTheImage(Server server, String... curlParameters) throws IOException {
        Path copy = Files.createTempFile(dir, "copy", ".img");
        ProcessResult r = ServerProcess.captive(server, curlArgs(curlParameters),
                "nbdinfo --size \"$uri\" && nbdcopy \"$uri\" " + copy + " && qemu-img compare -f raw -F raw \"$uri\" " + image);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains(Long.toString((long) SIZE_MIB << 20)).contains("Images are identical");
        assertThat(Files.mismatch(copy, image)).as("nbdcopy's copy is nginx's file").isEqualTo(-1);
    }

    /** Runs nbdinfo through the server and returns its result, which may be a failure. */
    private static ProcessResult nbdinfo(Server server, String... curlParameters) {
        return ServerProcess.captive(server, curlArgs(curlParameters), "nbdinfo --size \"$uri\"");
    }

    private static List<String> curlArgs(String... parameters) {
        List<String> args = new ArrayList<>(List.of("-r", "curl"));
        args.addAll(List.of(parameters));
        return args;
    }

    @ServerTest
    void overHttpTheDiskIsTheFile(Server server) throws IOException {
        assertServesTheImage(server, nginx.http("/disk.img"));
    }

    @ServerTest
    void overHttpsWithTheTestCaTheDiskIsTheFile(Server server) throws IOException {
        assertServesTheImage(server, nginx.https("/disk.img"), "cainfo=" + pki.resolve("ca-cert.pem"));
    }

    @ServerTest
    void overHttpsAnUntrustedCertificateIsRefusedUnlessSslverifyIsOff(Server server) throws IOException {
        assertThat(nbdinfo(server, nginx.https("/disk.img")).exitCode()).as("the test CA is not trusted").isNotZero();
        assertServesTheImage(server, nginx.https("/disk.img"), "sslverify=false");
    }

    @ServerTest
    void basicAuthenticationWithAPasswordFile(Server server) throws IOException {
        assertServesTheImage(server, nginx.http("/private/disk.img"), "user=" + Nginx.USER, "password=+" + passwordFile);
        assertThat(nbdinfo(server, nginx.http("/private/disk.img"), "user=" + Nginx.USER, "password=wrong").exitCode())
                .as("a wrong password is refused").isNotZero();
    }

    @ServerTest
    void redirectsAreFollowed(Server server) throws IOException {
        assertServesTheImage(server, nginx.http("/moved"));
    }

    @ServerTest
    void headersAndCookiesAreSent(Server server) throws IOException {
        assertServesTheImage(server, nginx.http("/needs-token/disk.img"), "header=X-Token: abc");
        assertServesTheImage(server, nginx.http("/needs-cookie/disk.img"), "cookie=session=42");
        assertThat(nbdinfo(server, nginx.http("/needs-token/disk.img")).exitCode()).as("no token, no disk").isNotZero();
    }

    /** nbdkit 1.32 has one curl handle per client connection; nbd4j shares a bounded pool (nbdkit ≥ 1.34's connections=). */
    @Test
    void nbd4jSharesTheConnectionsAllowedAcrossClients() throws IOException {
        if (!Server.nbd4jSelected()) {
            return;
        }
        Path copy = Files.createTempFile(dir, "copy", ".img");
        ProcessResult r = ServerProcess.captive(Server.NBD4J, curlArgs(nginx.http("/disk.img"), "connections=2"),
                "nbdcopy --connections=4 \"$uri\" " + copy);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.mismatch(copy, image)).isEqualTo(-1);
    }
}
