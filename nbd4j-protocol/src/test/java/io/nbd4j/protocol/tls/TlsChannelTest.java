package io.nbd4j.protocol.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsChannelTest {
    private static final char[] PASSWORD = "secret".toCharArray();

    @TempDir
    Path tmp;

    /** A server context with a fresh EC key made by the JDK's keytool. */
    private SSLContext serverContext() throws Exception {
        Path store = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-alias", "server", "-dname", "CN=localhost", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(out).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** A client that accepts any certificate: this test is about the session, not about trust. */
    private static SSLContext clientContext() throws Exception {
        TrustManager anything = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {anything}, null);
        return context;
    }

    private static Ciphertext over(SocketChannel channel) {
        return new Ciphertext() {
            @Override
            public int readSome(ByteBuffer dst) throws IOException {
                return channel.read(dst);
            }

            @Override
            public void writeFully(ByteBuffer src) throws IOException {
                while (src.hasRemaining()) {
                    channel.write(src);
                }
            }
        };
    }

    @Test
    void plaintextThatCannotBeReadFailsTheWriteAndEveryLaterOneInsteadOfEscapingAsAnError() throws Exception {
        Path file = tmp.resolve("shrinking.img");
        Files.write(file, new byte[4 * 4096]);
        Path socket = tmp.resolve("tls.sock");
        try (Arena arena = Arena.ofShared();
             FileChannel mapped = FileChannel.open(file, StandardOpenOption.READ);
             ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            MemorySegment segment = mapped.map(FileChannel.MapMode.READ_ONLY, 0, 4 * 4096, arena);
            listener.bind(UnixDomainSocketAddress.of(socket));
            SSLEngine serverEngine = serverContext().createSSLEngine();
            serverEngine.setUseClientMode(false);
            SSLEngine clientEngine = clientContext().createSSLEngine("localhost", 0);
            clientEngine.setUseClientMode(true);
            try (SocketChannel clientSide = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 SocketChannel serverSide = listener.accept()) {
                CompletableFuture<TlsChannel> client = CompletableFuture.supplyAsync(() -> {
                    try {
                        return TlsChannel.handshake(over(clientSide), clientEngine);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                TlsChannel server = TlsChannel.handshake(over(serverSide), serverEngine);
                TlsChannel reader = client.get();

                server.writeFully(ByteBuffer.wrap("before".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer got = ByteBuffer.allocate(6);
                while (got.hasRemaining()) {
                    assertThat(reader.read(got)).isPositive();
                }
                assertThat(new String(got.array(), StandardCharsets.UTF_8)).isEqualTo("before");

                ByteBuffer view = segment.asSlice(2 * 4096, 4096).asByteBuffer();
                try (FileChannel shrink = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    shrink.truncate(4096);
                }
                assertThatThrownBy(() -> server.writeFully(view)).isInstanceOf(IOException.class)
                        .hasCauseInstanceOf(InternalError.class);
                assertThatThrownBy(() -> server.writeFully(ByteBuffer.wrap(new byte[] {1})))
                        .isInstanceOf(IOException.class);
            }
        }
    }
}
