package io.nbd4j.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --metrics}: Prometheus text format scraped with curl during and after an nbdcopy, over TCP
 * and over a Unix socket, with the numbers checked against what the copy did.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class MetricsEndpointTest {
    private static final int COPY_MIB = 32;

    @TempDir
    Path dir;

    private Path randomImage() throws IOException {
        Path image = dir.resolve("random.img");
        SplittableRandom random = new SplittableRandom(15);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(image)) {
            for (int i = 0; i < COPY_MIB; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return image;
    }

    /**
     * The shell part of a captive run: nbdcopy in the background, one scrape while it runs, then scrapes
     * until the server has closed the copy's connections (a request is counted once its reply is sent,
     * which the client may see first). Scrapes go to {@code during.txt} and {@code after.txt}.
     */
    private String copyAndScrape(Path image, String curl, String copyOptions) {
        return "nbdcopy " + copyOptions + " " + image + " \"$uri\" & copy=$!; "
                + curl + " > " + dir.resolve("during.txt") + " || exit 10; "
                + "wait $copy || exit 11; "
                + "for i in $(seq 100); do " + curl + " > " + dir.resolve("after.txt") + " || exit 12; "
                + "grep -q '^nbd4j_connections_open 0' " + dir.resolve("after.txt") + " && exit 0; sleep 0.1; done; exit 13";
    }

    /** Every sample of a scrape (comments and labels kept as written), with its value. */
    private static Map<String, Double> samples(Path scrape) throws IOException {
        Map<String, Double> values = new HashMap<>();
        for (String line : Files.readAllLines(scrape)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }

    @Test
    void aScrapeDuringAndAfterACopyOverTcpCountsEveryByteWritten() throws IOException {
        Path image = randomImage();
        int port = LocalPorts.free();
        String curl = "curl -sf http://127.0.0.1:" + port + "/metrics";

        ProcessResult r = ServerProcess.captive(Server.NBD4J, List.of("--metrics=" + port, "memory", "64M"),
                copyAndScrape(image, curl, "--connections=4"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).as("a port alone listens on loopback").contains("serving metrics on http://127.0.0.1:" + port + "/metrics");
        Map<String, Double> during = samples(dir.resolve("during.txt"));
        Map<String, Double> after = samples(dir.resolve("after.txt"));
        String written = "nbd4j_request_bytes_total{export=\"\",operation=\"write\"}";
        String writes = "nbd4j_requests_total{export=\"\",operation=\"write\"}";
        assertThat(after.get(written)).isGreaterThanOrEqualTo(COPY_MIB << 20);
        assertThat(during.getOrDefault(written, 0.0)).isLessThanOrEqualTo(after.get(written));
        assertThat(after.get(writes)).isPositive()
                .isEqualTo(after.get("nbd4j_request_duration_seconds_count{export=\"\",operation=\"write\"}"));
        assertThat(after.get("nbd4j_request_duration_seconds_bucket{export=\"\",operation=\"write\",le=\"+Inf\"}"))
                .isEqualTo(after.get(writes));
        assertThat(after.get("nbd4j_connections_accepted_total")).isPositive();
        assertThat(after.get("nbd4j_connections_open")).isZero();
        assertThat(after.keySet()).noneMatch(k -> k.startsWith("nbd4j_request_errors_total"));
    }

    @Test
    void overAUnixSocketFiltersPublishTheirOwnNumbers() throws IOException {
        Path image = randomImage();
        Path socket = dir.resolve("metrics.sock");
        String curl = "curl -sf --unix-socket " + socket + " http://localhost/metrics";

        ProcessResult r = ServerProcess.captive(Server.NBD4J,
                List.of("--metrics=" + socket, "--filter=multi-conn", "--filter=cache", "memory", "64M",
                        "multi-conn-mode=emulate", "cache-on-read=true"),
                copyAndScrape(image, curl, "--connections=4 --flush"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Double> after = samples(dir.resolve("after.txt"));
        assertThat(after.get("nbd4j_request_bytes_total{export=\"\",operation=\"write\"}")).isGreaterThanOrEqualTo(COPY_MIB << 20);
        assertThat(after.get("nbd4j_multi_conn_rounds_total{group=\"\"}")).isPositive();
        assertThat(after.get("nbd4j_multi_conn_flushes_total{group=\"\"}"))
                .isEqualTo(after.get("nbd4j_multi_conn_rounds_total{group=\"\"}")
                        + after.get("nbd4j_multi_conn_coalesced_flushes_total{group=\"\"}"));
        assertThat(after.get("nbd4j_multi_conn_replays_total{group=\"\"}")).isPositive();
        assertThat(after).containsKey("nbd4j_cache_hits_total{export=\"\"}");
        assertThat(Files.exists(socket)).as("the metrics socket is removed at exit").isFalse();
    }

    /** Start time: a server started without the option loads nothing of the metrics library, nor a JFR event class. */
    @Test
    void withoutTheOptionNothingOfTheLibraryIsLoaded() throws IOException {
        Path classes = dir.resolve("classes.txt");
        ProcessResult r = ServerProcess.captive(Server.NBD4J,
                Map.of("NBD4J_JVM_OPTS", "-Xlog:class+load=info:file=" + classes),
                List.of("memory", "1M"), "nbdinfo --size \"$uri\"");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readString(classes)).contains("io.nbd4j.server.NbdServer")
                .doesNotContain("io.prometheus").doesNotContain("MetricsEndpoint").doesNotContain("RequestEvent");
    }

    @Test
    void aMalformedAddressStopsTheStartNamingTheForms() {
        ProcessResult r = Commands.run(Commands.DEFAULT_TIMEOUT, null,
                Server.NBD4J.command(List.of("-U", "-", "--metrics=localhost:http", "memory", "1M", "--run", "true")));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("--metrics: expected PORT, ADDR:PORT");
    }
}
