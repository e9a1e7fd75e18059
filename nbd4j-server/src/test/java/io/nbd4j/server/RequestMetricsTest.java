package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.server.prometheus.PrometheusMetrics;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own metrics: requests, bytes, errors, latency per export and operation, and connections. */
@Timeout(60)
class RequestMetricsTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Test
    void requestsBytesErrorsAndLatencyAreCountedPerExportAndOperation() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk).metrics(new PrometheusMetrics(registry)))) {
            c.negotiateSimple();
            c.request(0, Command.WRITE, 1, 0, 4096, new byte[4096]);
            assertThat(c.simpleReply(1)).isZero();
            c.request(0, Command.WRITE, 2, 4096, 512, new byte[512]);
            assertThat(c.simpleReply(2)).isZero();
            c.request(0, Command.READ, 3, 0, 1024, null);
            assertThat(c.simpleReply(3)).isZero();
            c.read(1024);
            disk.failNextRead = new NbdException(NbdError.EIO, "bad sector");
            c.request(0, Command.READ, 4, 0, 512, null);
            assertThat(c.simpleReply(4)).isEqualTo(NbdError.EIO.wireValue());
            c.request(0, Command.READ, 5, 1 << 20, 512, null);   // past the end: refused before running
            assertThat(c.simpleReply(5)).isEqualTo(NbdError.EINVAL.wireValue());
            c.request(0, Command.FLUSH, 6, 0, 0, null);
            assertThat(c.simpleReply(6)).isZero();
        }
        fixture.stop();

        Scraped s = new Scraped(registry);
        assertThat(s.value("nbd4j_requests", "export", "", "operation", "write")).isEqualTo(2);
        assertThat(s.value("nbd4j_request_bytes", "export", "", "operation", "write")).isEqualTo(4096 + 512);
        assertThat(s.value("nbd4j_requests", "export", "", "operation", "read")).isEqualTo(3);
        assertThat(s.value("nbd4j_request_bytes", "export", "", "operation", "read")).isEqualTo(1024 + 512);
        assertThat(s.value("nbd4j_request_errors", "error", "EIO", "export", "", "operation", "read")).isEqualTo(1);
        assertThat(s.value("nbd4j_request_errors", "error", "EINVAL", "export", "", "operation", "read")).isEqualTo(1);
        assertThat(s.value("nbd4j_request_duration_seconds", "export", "", "operation", "read")).isEqualTo(2);
        assertThat(s.value("nbd4j_request_duration_seconds", "export", "", "operation", "write")).isEqualTo(2);
        assertThat(s.value("nbd4j_requests", "export", "", "operation", "flush")).isEqualTo(1);
        assertThat(s.value("nbd4j_connections_accepted")).isEqualTo(1);
        assertThat(s.value("nbd4j_connections_open")).isZero();
    }

    @Test
    void layersPublishToTheServersRegistry() throws Exception {
        RecordingFilter filter = new RecordingFilter("recording", new CopyOnWriteArrayList<>());
        fixture.start(ServerFixture.builder(new RamDisk(4096), filter).metrics(new PrometheusMetrics(registry)));

        filter.server.metrics().counter("nbd4j_recording_events", "events", "kind").labels("test").add(3);

        assertThat(filter.server.metrics().enabled()).isTrue();
        assertThat(new Scraped(registry).value("nbd4j_recording_events", "kind", "test")).isEqualTo(3);
    }

    @Test
    void withoutMetricsLayersSeeTheRegistryThatRecordsNothing() throws Exception {
        RecordingFilter filter = new RecordingFilter("recording", new CopyOnWriteArrayList<>());
        fixture.start(ServerFixture.builder(new RamDisk(4096), filter));

        assertThat(filter.server.metrics()).isSameAs(io.nbd4j.spi.Metrics.NONE);
    }
}
