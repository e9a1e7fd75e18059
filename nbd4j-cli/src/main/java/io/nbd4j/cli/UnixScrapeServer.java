package io.nbd4j.cli;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Serves scrapes on a Unix socket ({@code curl --unix-socket PATH http://localhost/metrics}, or a proxy
 * in front of Prometheus, which scrapes only TCP): the least of HTTP/1.1 that such clients speak, one
 * {@code GET} or {@code HEAD} per connection, answered and closed. Everything past the framing (the
 * format the client accepts, gzip, {@code name[]=} filters) is the Prometheus library's
 * {@link PrometheusScrapeHandler}; the JDK's HTTP server, which the TCP endpoint uses, cannot listen on
 * a Unix socket, and the libraries that can are web frameworks (Jetty, Netty). A request head is at
 * most {@value #MAX_HEAD} bytes and a connection gets {@link #CONNECTION_TIME} in all.
 *
 * <p><b>Threads.</b> One virtual thread accepts, one serves each connection, at most
 * {@value #MAX_CONNECTIONS} at once (the others wait in the listen backlog); {@link #close} from any thread.
 */
final class UnixScrapeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnixScrapeServer.class);
    static final int MAX_HEAD = 8192;
    static final int MAX_CONNECTIONS = 16;
    static final Duration CONNECTION_TIME = Duration.ofSeconds(10);

    private final Path path;
    private final ServerSocketChannel listener;
    private final PrometheusScrapeHandler handler;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;

    private UnixScrapeServer(Path path, ServerSocketChannel listener, PrometheusRegistry registry) {
        this.path = path;
        this.listener = listener;
        this.handler = new PrometheusScrapeHandler(registry);
        this.acceptor = Thread.ofVirtual().name("nbd4j-metrics-accept").start(this::accept);
    }

    static UnixScrapeServer start(Path path, PrometheusRegistry registry) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot serve metrics on Unix socket " + path + ": " + e.getMessage(), e);
        }
        return new UnixScrapeServer(path, listener, registry);
    }

    private void accept() {
        while (true) {
            SocketChannel client;
            try {
                slots.acquire();
                client = listener.accept();
            } catch (ClosedChannelException | InterruptedException e) {
                return;
            } catch (IOException e) {
                slots.release();
                LOG.debug("metrics: accept failed: {}", e.toString());
                continue;
            }
            Thread.ofVirtual().name("nbd4j-metrics").start(() -> {
                try {
                    serve(client);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void serve(SocketChannel client) {
        // Closing the channel is what ends a read that waits for a client that sends nothing.
        Thread deadline = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(CONNECTION_TIME);
                client.close();
            } catch (InterruptedException | IOException e) {
                // finished in time, or already closed
            }
        });
        try (Exchange exchange = new Exchange(client)) {
            String refusal = exchange.readHead();
            if (refusal != null) {
                exchange.refuse(refusal);
            } else {
                handler.handleRequest(exchange);
            }
        } catch (IOException e) {
            LOG.debug("metrics: a scrape on {} failed: {}", path, e.toString());
        } finally {
            deadline.interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        acceptor.interrupt();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }

    /** One request and its answer on one connection. */
    private static final class Exchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
        private final SocketChannel channel;
        private final Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        private final Map<String, String> responseHeaders = new LinkedHashMap<>();
        private String method;
        private String path;
        private String query;
        private boolean sent;

        Exchange(SocketChannel channel) {
            this.channel = channel;
        }

        /** Reads the request line and headers; returns null, or the status line of a refusal. */
        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            int matched = 0;   // of "\r\n\r\n"
            while (matched < 4) {
                one.clear();
                if (channel.read(one) < 0) {
                    return "400 Bad Request";
                }
                byte b = one.get(0);
                head.write(b);
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                if (head.size() > MAX_HEAD) {
                    return "431 Request Header Fields Too Large";
                }
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
                return "400 Bad Request";
            }
            method = request[0];
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return "405 Method Not Allowed";
            }
            int q = request[1].indexOf('?');
            path = q < 0 ? request[1] : request[1].substring(0, q);
            query = q < 0 ? null : request[1].substring(q + 1);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    return "400 Bad Request";
                }
                requestHeaders.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
            return null;
        }

        /**
         * Answers with an error status, then reads (a bounded amount of) what the client still sends:
         * closing a socket with unread data would reset the connection and lose the answer.
         */
        void refuse(String status) throws IOException {
            responseHeaders.put("Content-Length", "0");
            writeHead(status);
            channel.shutdownOutput();
            ByteBuffer sink = ByteBuffer.allocate(MAX_HEAD);
            for (int drained = 0; drained < 8 * MAX_HEAD; drained += sink.position()) {
                if (channel.read(sink.clear()) < 0) {
                    return;
                }
            }
        }

        private void writeHead(String status) throws IOException {
            sent = true;
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
            responseHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            ByteBuffer bytes = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        @Override public PrometheusHttpRequest getRequest() { return this; }
        @Override public PrometheusHttpResponse getResponse() { return this; }
        @Override public String getQueryString() { return query; }
        @Override public String getMethod() { return method; }
        @Override public String getRequestPath() { return path; }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(requestHeaders.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
        }

        @Override
        public void setHeader(String name, String value) {
            responseHeaders.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) throws IOException {
            if (contentLength > 0) {
                responseHeaders.putIfAbsent("Content-Length", Integer.toString(contentLength));
            }
            writeHead(statusCode + (statusCode == 200 ? " OK" : ""));
            return method.equals("HEAD") ? OutputStream.nullOutputStream() : Channels.newOutputStream(channel);
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            LOG.warn("metrics: a scrape failed: {}", e.toString());
            if (!sent) {
                try {
                    refuse("500 Internal Server Error");
                } catch (IOException ignored) {
                    // the client is gone
                }
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to tell the client
            }
        }
    }
}
