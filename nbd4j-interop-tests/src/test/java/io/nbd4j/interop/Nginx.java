package io.nbd4j.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A private nginx for the curl plugin's tests: HTTP and HTTPS on free high ports of 127.0.0.1, serving
 * {@code <dir>/www}, with a config this class writes into {@code dir} (nothing of the system's nginx is
 * used or touched). Besides plain files it has {@code /moved} (a redirect to {@code /disk.img}),
 * {@code /private/} (Basic authentication as {@code alice}/{@code secret}), {@code /needs-token/} (403
 * unless {@code X-Token: abc}) and {@code /needs-cookie/} (403 unless the cookie {@code session=42}),
 * each serving the same {@code disk.img}. Started and stopped by one test thread.
 */
final class Nginx implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    final int httpPort;
    final int httpsPort;

    private Nginx(Process process, Path dir, int httpPort, int httpsPort) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    /** The directory nginx serves; put files there before or after starting. */
    static Path www(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("www"));
    }

    /** Starts nginx in {@code dir}, with the HTTPS certificate and key from {@code pki} (TestCertificates' layout). */
    static Nginx start(Path dir, Path pki) throws IOException {
        Path www = www(dir);
        Files.createDirectories(dir.resolve("tmp"));
        String hash = Commands.runOk(List.of("openssl", "passwd", "-apr1", PASSWORD)).stdout().strip();
        Files.writeString(dir.resolve("htpasswd"), USER + ":" + hash + "\n");
        int http = freePort();
        int https = freePort();
        String locations = """
                    root %1$s;
                    location = /moved { return 302 /disk.img; }
                    location /private/ { auth_basic "test"; auth_basic_user_file %2$s/htpasswd; alias %1$s/; }
                    location /needs-token/ { if ($http_x_token != "abc") { return 403; } alias %1$s/; }
                    location /needs-cookie/ { if ($cookie_session != "42") { return 403; } alias %1$s/; }
                """.formatted(www, dir);
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 512; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                %4$s
                  }
                  server {
                    listen 127.0.0.1:%3$d ssl;
                    ssl_certificate %5$s/server-cert.pem;
                    ssl_certificate_key %5$s/server-key.pem;
                %4$s
                  }
                }
                """.formatted(dir, http, https, locations, pki));
        Process process = Commands.builder(List.of("nginx", "-e", dir.resolve("error.log").toString(),
                        "-c", dir.resolve("nginx.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Nginx nginx = new Nginx(process, dir, http, https);
        nginx.awaitListening();
        return nginx;
    }

    String http(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** By name, so the certificate's {@code localhost} matches. */
    String https(String path) {
        return "https://localhost:" + httpsPort + path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("nginx exited with status " + process.exitValue() + ":\n" + log());
            }
            try (Socket a = new Socket(); Socket b = new Socket()) {
                a.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 1000);
                b.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), 1000);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                close();
                fail("nginx did not listen within " + START_TIMEOUT + ":\n" + log());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("nginx.out")) + Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
