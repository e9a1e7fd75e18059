package io.nbd4j.plugins.curl;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small HTTP/1.1 server on 127.0.0.1 that serves one image and can misbehave in the ways
 * a real server might: ignore Range, answer another range, cut the body short, reset the connection,
 * send more than asked, or stall. It records every request's headers and the most requests it had in
 * progress at once. Each connection is served by its own virtual thread; {@link #close} stops them all.
 */
final class TinyHttpServer implements AutoCloseable {
    /** How GETs with a Range are answered; HEADs and the one-byte size probe are always answered right. */
    enum Behaviour { GOOD, IGNORES_RANGE, WRONG_CONTENT_RANGE, SHORT_BODY, RESETS, LONGER_BODY, STALLS }

    /** One request as received: method, path and headers (names in lower case). */
    record Request(String method, String path, Map<String, String> headers) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final ServerSocket listener;
    private final byte[] image;
    private final Behaviour behaviour;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger inProgress = new AtomicInteger();
    final AtomicInteger mostInProgress = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Extra header lines for HEAD answers (e.g. none of Accept-Ranges), or null for the usual ones. */
    volatile String headHeaders;
    /** If set, HEADs are refused with this status line (e.g. {@code 405 Method Not Allowed}). */
    volatile String headRefusal;
    /** If set, every request is answered with this redirect instead. */
    volatile String redirectTo;

    TinyHttpServer(byte[] image, Behaviour behaviour) throws IOException {
        this.image = image;
        this.behaviour = behaviour;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tiny-http-accept").start(this::acceptLoop);
    }

    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                int now = inProgress.incrementAndGet();
                mostInProgress.accumulateAndGet(now, Math::max);
                try {
                    if (!answer(request, socket, out)) {
                        return;
                    }
                } finally {
                    inProgress.decrementAndGet();
                }
            }
        } catch (IOException | InterruptedException ended) {
            // the client went away or the test closed the server
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        return new Request(parts[0], parts[1], headers);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Answers one request; false when the connection must end. */
    private boolean answer(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException {
        if (redirectTo != null) {
            write(out, "HTTP/1.1 302 Found\r\nLocation: " + redirectTo + "\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        if (request.method().equals("HEAD") && headRefusal != null) {
            write(out, "HTTP/1.1 " + headRefusal + "\r\nContent-Length: 0\r\n\r\n");
            return true;
        }
        if (request.method().equals("HEAD")) {
            write(out, "HTTP/1.1 200 OK\r\n" + (headHeaders != null ? headHeaders
                    : "Content-Length: " + image.length + "\r\nAccept-Ranges: bytes\r\n") + "\r\n");
            return true;
        }
        Matcher m = RANGE.matcher(request.headers().getOrDefault("range", ""));
        if (!m.matches()) {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + image.length + "\r\n\r\n");
            out.write(image);
            return true;
        }
        int first = Integer.parseInt(m.group(1));
        int last = Math.min(Integer.parseInt(m.group(2)), image.length - 1);
        int length = last - first + 1;
        boolean probe = first == 0 && last == 0;
        switch (probe ? Behaviour.GOOD : behaviour) {
            case GOOD -> partial(out, first, last, length, length);
            case IGNORES_RANGE -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + image.length + "\r\n\r\n");
                out.write(image);
            }
            case WRONG_CONTENT_RANGE -> partial(out, first + 512, last + 512, length, length);
            case SHORT_BODY -> {
                write(out, head206(first, last, length));
                out.write(image, first, length / 2);
                out.flush();
                return false;
            }
            case RESETS -> {
                write(out, head206(first, last, length));
                out.write(image, first, length / 2);
                out.flush();
                socket.setSoLinger(true, 0);
                return false;
            }
            case LONGER_BODY -> {
                write(out, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + first + "-" + last + "/"
                        + image.length + "\r\nConnection: close\r\n\r\n");
                out.write(image, first, Math.min(image.length - first, length + 100));
                out.flush();
                return false;
            }
            case STALLS -> {
                write(out, head206(first, last, length));
                out.write(image, first, length / 2);
                out.flush();
                closing.await();
                return false;
            }
        }
        return true;
    }

    private void partial(OutputStream out, int first, int last, int length, int sent) throws IOException {
        write(out, head206(first, last, length));
        out.write(image, first, sent);
        out.flush();
    }

    private String head206(int first, int last, int length) {
        return "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + first + "-" + last + "/" + image.length
                + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        listener.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
