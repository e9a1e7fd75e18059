package io.nbd4j.interop;

import io.nbd4j.interop.RawNbdConnection.OptionReply;
import io.nbd4j.interop.TestCertificates.KeyForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS with X.509 certificates made by openssl at test time, driven by libnbd ({@code nbdinfo},
 * {@code nbdsh} with {@code nbds+unix://} URIs) and qemu: the three modes, client certificate checks,
 * the key forms the server reads, and what a plaintext client learns from a server that requires TLS
 * (nothing).
 */
class TlsTest {
    static final int OPT_EXPORT_NAME = 1;
    static final int OPT_ABORT = 2;
    static final int OPT_LIST = 3;
    static final int OPT_STARTTLS = 5;
    static final int OPT_INFO = 6;
    static final int OPT_GO = 7;
    static final int OPT_STRUCTURED_REPLY = 8;
    static final int REP_ACK = 1;
    static final int ERR_POLICY = 0x80000002;
    static final int ERR_TLS_REQD = 0x80000005;

    @TempDir
    Path dir;

    private Path certificates(KeyForm form) throws IOException {
        return TestCertificates.create(Files.createDirectory(dir.resolve("pki")), form);
    }

    private static String tlsUri(ServerProcess s, Path clientCertificates) {
        return "nbds+unix:///?socket=" + s.socket() + "&tls-certificates=" + clientCertificates;
    }

    /** nbdsh connected to {@code uri}, which may name a local certificate directory (libnbd refuses that by default). */
    private static String nbdsh(String uri, String... statements) {
        List<String> all = new ArrayList<>(List.of("h.set_uri_allow_local_file(True)", "h.connect_uri('" + uri + "')"));
        all.addAll(List.of(statements));
        return Clients.nbdsh(List.of(), all.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void requireServesLibnbdOverTlsWithEveryKeyFormAndRefusesPlaintext(KeyForm form) throws IOException {
        Path pki = certificates(form);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-certificates=" + pki,
                "memory", "1M")) {
            String out = nbdsh(tlsUri(s, pki),
                    "h.pwrite(b'sealed' * 100, 4096)",
                    "print(h.get_tls_negotiated(), h.pread(600, 4096) == b'sealed' * 100)");
            assertThat(out.strip()).isEqualTo("True True");

            ProcessResult plain = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", "--size", s.uri()));
            assertThat(plain.exitCode()).as("plaintext client refused: %s", plain).isNotZero();
            assertThat(plain.stdout()).doesNotContain("1048576");
        }
    }

    @Test
    void requireAnswersTlsRequiredToEveryOptionButAbortAndHangsUpOnExportName() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-certificates=" + pki,
                "memory", "1M")) {
            try (RawNbdConnection c = plaintextNegotiation(s)) {
                for (int option : new int[] {OPT_LIST, OPT_INFO, OPT_GO, OPT_STRUCTURED_REPLY, 99}) {
                    byte[] data = option == OPT_INFO || option == OPT_GO ? new byte[6] : new byte[0];
                    c.sendOption(option, data);
                    OptionReply reply = c.readOptionReply();
                    assertThat(reply.option()).isEqualTo(option);
                    assertThat(reply.type()).as("reply to option %d", option).isEqualTo(ERR_TLS_REQD);
                }
                c.sendOption(OPT_EXPORT_NAME, new byte[0]);
                assertThat(c.awaitClosedByServer(Duration.ofSeconds(20))).as("EXPORT_NAME without TLS ends the connection").isTrue();
            }
            try (RawNbdConnection c = plaintextNegotiation(s)) {
                c.sendOption(OPT_ABORT, new byte[0]);
                assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
            }
            s.assertAlive();
        }
    }

    @Test
    void onServesBothPlaintextAndTlsClients() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=on", "--tls-certificates=" + pki,
                "memory", "1M")) {
            assertThat(nbdsh(tlsUri(s, pki), "print(h.get_tls_negotiated(), h.get_size())").strip())
                    .isEqualTo("True 1048576");
            assertThat(Clients.nbdsh(s.uri(), "print(h.get_tls_negotiated(), h.get_size())").strip())
                    .isEqualTo("False 1048576");
        }
    }

    @Test
    void offRefusesStartTlsByPolicyAndKeepsNegotiating() throws IOException {
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=off", "memory", "1M")) {
            try (RawNbdConnection c = plaintextNegotiation(s)) {
                c.sendOption(OPT_STARTTLS, new byte[0]);
                assertThat(c.readOptionReply().type()).isEqualTo(ERR_POLICY);
                c.sendOption(OPT_ABORT, new byte[0]);
                assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
            }
        }
    }

    @Test
    void qemuImgConnectsWithX509Credentials() throws IOException {
        Path pki = certificates(KeyForm.SEC1_EC);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-certificates=" + pki,
                "memory", "1M")) {
            String info = Clients.qemuImg(dir, "info",
                    "--object", "tls-creds-x509,id=tls0,dir=" + pki + ",endpoint=client",
                    "--image-opts", "driver=nbd,path=" + s.socket() + ",tls-creds=tls0,tls-hostname=localhost");
            assertThat(info).contains("virtual size: 1 MiB (1048576 bytes)");
        }
    }

    @Test
    void verifyPeerAcceptsOnlyClientsWithACertificateSignedByTheCa() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        Path stranger = Files.createDirectory(dir.resolve("stranger"));
        TestCertificates.create(stranger, KeyForm.PKCS8_RSA);
        // trusts our server, but holds a client certificate from another authority
        Files.copy(pki.resolve("ca-cert.pem"), stranger.resolve("ca-cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path anonymous = TestCertificates.caOnly(pki, dir.resolve("anonymous"));
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-verify-peer",
                "--tls-certificates=" + pki, "memory", "1M")) {
            assertThat(Clients.nbdinfo("--size", tlsUri(s, pki)).strip()).isEqualTo("1048576");
            for (Path refused : List.of(anonymous, stranger)) {
                ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", "--size", tlsUri(s, refused)));
                assertThat(r.exitCode()).as("client with %s refused: %s", refused.getFileName(), r).isNotZero();
            }
            s.assertAlive();
            assertThat(s.stderr()).contains("TLS handshake failed");
        }
    }

    @Test
    void clientCertificateListedInTheCrlIsRefused() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        TestCertificates.revokeClientCertificate(pki);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-verify-peer",
                "--tls-certificates=" + pki, "memory", "1M")) {
            ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, List.of("nbdinfo", "--size", tlsUri(s, pki)));
            assertThat(r.exitCode()).as("revoked client refused: %s", r).isNotZero();
            s.assertAlive();
            assertThat(s.stderr()).contains("revoked");
        }
    }

    @Test
    void captiveCommandSeesTlsLevelTwoAndASecureUri() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        ProcessResult r = ServerProcess.captive(Server.NBD4J,
                List.of("--tls=required", "--tls-certificates=" + pki, "memory", "1M"),
                "echo \"$tls\" \"$uri\"; nbdinfo --size \"$uri&tls-certificates=" + pki + "\"");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.getFirst()).matches("2 nbds\\+unix:///?\\?socket=.*");
        assertThat(lines.get(1)).isEqualTo("1048576");
    }

    @Test
    void unusableTlsSettingsStopTheServerBeforeItListens() throws IOException {
        Path pki = certificates(KeyForm.PKCS8_RSA);
        Path mismatched = Files.createDirectory(dir.resolve("mismatched"));
        for (String f : List.of("ca-cert.pem", "server-cert.pem")) {
            Files.copy(pki.resolve(f), mismatched.resolve(f));
        }
        Files.copy(pki.resolve("client-key.pem"), mismatched.resolve("server-key.pem"));
        Path encrypted = Files.createDirectory(dir.resolve("encrypted"));
        Files.copy(pki.resolve("server-cert.pem"), encrypted.resolve("server-cert.pem"));
        Commands.runOk(List.of("openssl", "pkey", "-in", pki.resolve("server-key.pem").toString(), "-aes256",
                "-passout", "pass:secret", "-out", encrypted.resolve("server-key.pem").toString()));
        List<List<String>> cases = new ArrayList<>();
        cases.add(List.of("--tls=require", "--tls-certificates=" + mismatched, "memory", "1M"));
        cases.add(List.of("--tls=require", "--tls-certificates=" + encrypted, "memory", "1M"));
        cases.add(List.of("--tls=require", "--tls-certificates=" + dir.resolve("absent"), "memory", "1M"));
        cases.add(List.of("--tls=maybe", "memory", "1M"));
        cases.add(List.of("--tls=on", "--tls-psk=" + pki.resolve("keys.psk"), "memory", "1M"));
        List<String> expected = List.of("is not the private key of", "encrypted private keys are not supported", "lacks server-cert.pem", "--tls: unknown value 'maybe'",
                "pre-shared keys");
        for (int i = 0; i < cases.size(); i++) {
            ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null, Server.NBD4J.command(cases.get(i)));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stderr()).contains(expected.get(i));
        }
    }

    private static RawNbdConnection plaintextNegotiation(ServerProcess s) throws IOException {
        RawNbdConnection c = RawNbdConnection.connect(s.socket());
        c.readGreeting();
        c.send(ByteBuffer.allocate(4).putInt(RawNbdConnection.FLAG_FIXED_NEWSTYLE | RawNbdConnection.FLAG_NO_ZEROES).array());
        return c;
    }
}
