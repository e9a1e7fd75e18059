package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tls-fallback filter with X.509 certificates (nbdkit's own test uses TLS-PSK, which the JDK lacks):
 * a plaintext client gets the 512-byte message, read-only, whatever export it names; a TLS client gets
 * the plugin.
 */
class TlsFallbackTest {
    @TempDir
    Path dir;

    @ServerTest
    void plaintextClientsReadTheMessageAndTlsClientsThePlugin(Server server) throws Exception {
        Path pki = TestCertificates.create(Files.createDirectory(dir.resolve("pki")), TestCertificates.KeyForm.PKCS8_RSA);
        try (ServerProcess s = ServerProcess.start(server, dir, "--tls=on", "--tls-certificates=" + pki,
                "--filter=tls-fallback", "memory", "1M", "tlsreadme=dummy")) {
            String plain = Clients.nbdsh(List.of(), "h.set_export_name('anything')", "h.connect_uri('" + s.uri() + "')",
                    "print(h.get_tls_negotiated(), h.get_size(), h.is_read_only(), h.can_trim(), h.pread(6, 0))");
            assertThat(plain.strip()).isEqualTo("False 512 True False bytearray(b'dummy\\x00')");

            List<String> tls = new ArrayList<>(List.of("h.set_uri_allow_local_file(True)",
                    "h.connect_uri('nbds+unix:///?socket=" + s.socket() + "&tls-certificates=" + pki + "')",
                    "h.pwrite(b'sealed', 0)",
                    "print(h.get_tls_negotiated(), h.get_size(), h.is_read_only(), h.pread(6, 0))"));
            assertThat(Clients.nbdsh(List.of(), tls.toArray(String[]::new)).strip()).isEqualTo("True 1048576 False bytearray(b'sealed')");
        }
    }
}
