package io.nbd4j.interop;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.server.TlsSettings;
import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NBD_OPT_STARTTLS step by step with the JDK's TLS client over TCP, against an embedded server with
 * {@code --tls=on}: what was negotiated in plaintext is forgotten once TLS starts (the lesson of
 * CVE-2021-3716), STARTTLS is refused when it carries data or when TLS is already on, and the
 * session then serves as usual.
 */
class StartTlsTest {
    static final long IHAVEOPT = 0x49484156454f5054L;
    static final int OPT_LIST = 3;
    static final int OPT_STARTTLS = 5;
    static final int OPT_GO = 7;
    static final int OPT_STRUCTURED_REPLY = 8;
    static final int OPT_SET_META_CONTEXT = 10;
    static final int REP_ACK = 1;
    static final int REP_SERVER = 2;
    static final int ERR_INVALID = 0x80000003;

    @TempDir
    Path dir;

    @Test
    void startTlsForgetsPlaintextNegotiationAndCannotBeRepeated() throws Exception {
        Path pki = TestCertificates.create(Files.createDirectory(dir.resolve("pki")), TestCertificates.KeyForm.PKCS8_RSA);
        LayerStack stack = memoryDisk();
        try (NbdServer server = NbdServer.builder().layers(stack).tcp("127.0.0.1", 0)
                .tls(TlsSettings.fromCertificates(TlsSettings.Mode.ON, pki, false)).start();
             Socket plain = new Socket("127.0.0.1", server.tcpPort())) {
            Options plaintext = new Options(plain.getInputStream(), new DataOutputStream(plain.getOutputStream()));
            plaintext.in.readNBytes(18);
            plaintext.out.writeInt(3);
            assertThat(plaintext.ask(OPT_STRUCTURED_REPLY, new byte[0])).isEqualTo(REP_ACK);
            assertThat(plaintext.ask(OPT_STARTTLS, new byte[] {1})).as("STARTTLS with data").isEqualTo(ERR_INVALID);
            assertThat(plaintext.ask(OPT_STARTTLS, new byte[0])).isEqualTo(REP_ACK);

            SSLSocket tls = (SSLSocket) clientContext(pki).getSocketFactory()
                    .createSocket(plain, "localhost", server.tcpPort(), true);
            tls.startHandshake();
            Options secure = new Options(tls.getInputStream(), new DataOutputStream(tls.getOutputStream()));
            assertThat(secure.ask(OPT_SET_META_CONTEXT, metaRequest()))
                    .as("structured replies negotiated in plaintext no longer count").isEqualTo(ERR_INVALID);
            assertThat(secure.ask(OPT_STARTTLS, new byte[0])).as("STARTTLS inside TLS").isEqualTo(ERR_INVALID);
            assertThat(secure.ask(OPT_LIST, new byte[0])).isEqualTo(REP_ACK);
            assertThat(secure.types).contains(REP_SERVER);
            assertThat(secure.ask(OPT_GO, new byte[6])).isEqualTo(REP_ACK);

            // transmission over TLS, with simple replies since structured ones were forgotten
            secure.out.writeInt(0x25609513);
            secure.out.writeShort(0);
            secure.out.writeShort(0);          // NBD_CMD_READ
            secure.out.writeLong(42);
            secure.out.writeLong(0);
            secure.out.writeInt(512);
            secure.out.flush();
            DataInputStream replies = new DataInputStream(secure.in);
            assertThat(replies.readInt()).isEqualTo(0x67446698);
            assertThat(replies.readInt()).isZero();
            assertThat(replies.readLong()).isEqualTo(42);
            assertThat(replies.readNBytes(512)).containsOnly(0);
        } finally {
            stack.unload();
        }
    }

    @Test
    void garbageInsteadOfATlsHandshakeClosesOnlyThatConnection() throws Exception {
        Path pki = TestCertificates.create(Files.createDirectory(dir.resolve("pki")), TestCertificates.KeyForm.SEC1_EC);
        LayerStack stack = memoryDisk();
        try (NbdServer server = NbdServer.builder().layers(stack).tcp("127.0.0.1", 0)
                .tls(TlsSettings.fromCertificates(TlsSettings.Mode.REQUIRE, pki, false)).start()) {
            try (Socket plain = new Socket("127.0.0.1", server.tcpPort())) {
                plain.setSoTimeout(20_000);
                Options plaintext = new Options(plain.getInputStream(), new DataOutputStream(plain.getOutputStream()));
                plaintext.in.readNBytes(18);
                plaintext.out.writeInt(3);
                assertThat(plaintext.ask(OPT_STARTTLS, new byte[0])).isEqualTo(REP_ACK);
                plaintext.out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                plaintext.out.flush();
                // whatever alert the server sends, it then closes
                plaintext.in.readAllBytes();
            }
            try (Socket plain = new Socket("127.0.0.1", server.tcpPort())) {
                Options plaintext = new Options(plain.getInputStream(), new DataOutputStream(plain.getOutputStream()));
                plaintext.in.readNBytes(18);
                plaintext.out.writeInt(3);
                assertThat(plaintext.ask(OPT_STARTTLS, new byte[0])).isEqualTo(REP_ACK);
                SSLSocket tls = (SSLSocket) clientContext(pki).getSocketFactory()
                        .createSocket(plain, "localhost", server.tcpPort(), true);
                tls.startHandshake();
                Options secure = new Options(tls.getInputStream(), new DataOutputStream(tls.getOutputStream()));
                assertThat(secure.ask(OPT_GO, new byte[6])).as("the next client is served").isEqualTo(REP_ACK);
            }
        } finally {
            stack.unload();
        }
    }

    /** Sends options and reads their replies up to the final one; remembers the reply types seen. */
    private static final class Options {
        final InputStream in;
        final DataOutputStream out;
        final List<Integer> types = new java.util.ArrayList<>();

        Options(InputStream in, DataOutputStream out) {
            this.in = in;
            this.out = out;
        }

        int ask(int option, byte[] data) throws IOException {
            out.writeLong(IHAVEOPT);
            out.writeInt(option);
            out.writeInt(data.length);
            out.write(data);
            out.flush();
            DataInputStream d = new DataInputStream(in);
            types.clear();
            while (true) {
                d.readLong();
                assertThat(d.readInt()).isEqualTo(option);
                int type = d.readInt();
                d.readNBytes(d.readInt());
                types.add(type);
                if (type == REP_ACK || type < 0) {
                    return type;
                }
            }
        }
    }

    private static byte[] metaRequest() {
        byte[] query = "base:allocation".getBytes(StandardCharsets.US_ASCII);
        return java.nio.ByteBuffer.allocate(4 + 4 + 4 + query.length).putInt(0).putInt(1).putInt(query.length).put(query).array();
    }

    private static SSLContext clientContext(Path pki) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(pki.resolve("ca-cert.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static LayerStack memoryDisk() throws Exception {
        Plugin memory = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("memory")).findFirst().orElseThrow();
        LayerStack stack = new LayerStack(List.of(), memory);
        stack.configWord("size=1M");
        stack.configComplete();
        stack.getReady();
        return stack;
    }
}
