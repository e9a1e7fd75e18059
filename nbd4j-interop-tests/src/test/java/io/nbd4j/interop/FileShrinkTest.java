package io.nbd4j.interop;

import io.nbd4j.interop.TestCertificates.KeyForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file that another process shrinks while the file plugin serves it: the file plugin sends reads
 * from a mapping of the file, and a mapped page past the new end cannot be read. A read of it must end
 * in an error (or, if the pages go while it is sent, a closed connection), over plaintext and over TLS,
 * never in a crash, a hang or other bytes; the server goes on serving new connections. (The TLS layer
 * meeting such a page while it encrypts is TlsChannelTest's.)
 */
class FileShrinkTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path file() throws IOException {
        Path p = dir.resolve("shrinking.img");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(MIB);
            f.seek(MIB / 2);
            f.write(new byte[] {1, 2, 3, 4});
        }
        return p;
    }

    /** nbdsh statements: a read before and a read after the file shrinks, printing what each gave. */
    private static String[] readAcrossTheShrink(Path file) {
        return new String[] {
            "import os",
            "print(h.pread(4, " + MIB / 2 + ") == b'\\x01\\x02\\x03\\x04')",
            "os.truncate('" + file + "', 4096)",
            """
            try:
                data = h.pread(4096, %d)
                print('read', data[:4])
            except nbd.Error as e:
                print('failed')
            """.formatted(MIB / 2),
        };
    }

    @Test
    void aReadOfPagesTheFileNoLongerHasFailsAndTheServerServesTheNextConnection() throws IOException {
        Path file = file();
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "file", "file=" + file)) {
            String out = Clients.nbdsh(s.uri(), readAcrossTheShrink(file));
            assertThat(out.lines().toList()).containsExactly("True", "failed");
            assertThat(Clients.nbdsh(s.uri(), "print(h.get_size())").strip()).isEqualTo("4096");
            s.assertAlive();
            assertThat(s.stderr()).doesNotContain("InternalError").doesNotContain("SIGBUS");
        }
    }

    @Test
    void overTlsAReadOfPagesTheFileNoLongerHasFailsAndTheServerServesTheNextConnection() throws IOException {
        Path file = file();
        Path pki = TestCertificates.create(Files.createDirectory(dir.resolve("pki")), KeyForm.PKCS8_RSA);
        try (ServerProcess s = ServerProcess.start(Server.NBD4J, dir, "--tls=require", "--tls-certificates=" + pki,
                "file", "file=" + file)) {
            String uri = "nbds+unix:///?socket=" + s.socket() + "&tls-certificates=" + pki;
            List<String> options = List.of("-c", "h.set_uri_allow_local_file(True)", "-c", "h.connect_uri('" + uri + "')");
            String out = Clients.nbdsh(options, readAcrossTheShrink(file));
            assertThat(out.lines().toList()).containsExactly("True", "failed");
            String size = Clients.nbdsh(options, "print(h.get_size())").strip();
            assertThat(size).isEqualTo("4096");
            s.assertAlive();
            assertThat(s.stderr()).doesNotContain("Exception in thread");
        }
    }
}
