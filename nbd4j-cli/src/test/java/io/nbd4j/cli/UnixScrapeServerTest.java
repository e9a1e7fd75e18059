package io.nbd4j.cli;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrapes over a Unix socket, as curl --unix-socket sends them, and what is refused. */
@Timeout(30)
class UnixScrapeServerTest {
    @TempDir
    Path dir;

    private static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            c.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (c.read(b.clear()) >= 0) {
                answer.write(b.array(), 0, b.position());
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aGetIsAnsweredInPrometheusTextFormatAndTheSocketGoesAtClose() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("nbd4j_test_events").help("events").register(registry).inc(7);
        Path socket = dir.resolve("metrics.sock");
        try (UnixScrapeServer server = UnixScrapeServer.start(socket, registry)) {
            String answer = exchange(socket, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain")
                    .contains("\r\n\r\n").contains("nbd4j_test_events_total 7.0");
            String filtered = exchange(socket, "GET /metrics?name[]=nothing_here HTTP/1.1\r\n\r\n");
            assertThat(filtered).startsWith("HTTP/1.1 200").doesNotContain("nbd4j_test_events");
            assertThat(exchange(socket, "HEAD /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
        }
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void otherMethodsAndMalformedOrOversizedHeadsAreRefused() throws Exception {
        Path socket = dir.resolve("metrics.sock");
        try (UnixScrapeServer server = UnixScrapeServer.start(socket, new PrometheusRegistry())) {
            assertThat(exchange(socket, "POST /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405");
            assertThat(exchange(socket, "nonsense\r\n\r\n")).startsWith("HTTP/1.1 400");
            assertThat(exchange(socket, "GET /metrics HTTP/1.1\r\nX: " + "y".repeat(UnixScrapeServer.MAX_HEAD) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431");
            assertThat(exchange(socket, "GET /metrics HTTP/1.1\r\n")).startsWith("HTTP/1.1 400");   // ends before the blank line
        }
    }
}
