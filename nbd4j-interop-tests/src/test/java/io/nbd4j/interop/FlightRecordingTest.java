package io.nbd4j.interop;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nbd4j's JFR events, recorded with {@code -XX:StartFlightRecording} during an nbdcopy and read back with
 * {@link RecordingFile}: on with JFR's profile settings, off with its default ones.
 */
@EnabledIf("io.nbd4j.interop.Server#nbd4jSelected")
class FlightRecordingTest {
    private static final int COPY_MIB = 16;

    @TempDir
    Path dir;

    private List<RecordedEvent> recordCopy(String settings) throws IOException {
        Path image = dir.resolve("data.img");
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) 0x5a);
        try (OutputStream out = Files.newOutputStream(image)) {
            for (int i = 0; i < COPY_MIB; i++) {
                out.write(block);
            }
        }
        Path recording = dir.resolve(settings + ".jfr");
        ProcessResult r = ServerProcess.captive(Server.NBD4J,
                Map.of("NBD4J_JVM_OPTS", "-XX:StartFlightRecording=filename=" + recording + ",settings=" + settings),
                List.of("--filter=multi-conn", "memory", "64M", "multi-conn-mode=emulate"),
                "nbdcopy --connections=2 --flush " + image + " \"$uri\" && "
                        + "nbdsh -u \"$uri\" -c 'h.pwrite(b\"x\" * 512, 8192, nbd.CMD_FLAG_FUA)' "
                        + "-c 'h.set_strict_mode(0)' "
                        + "-c '\ntry:\n    h.pread(512, 64 << 20)\nexcept nbd.Error as e:\n    print(e.errnum)'");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.nbd4j.")).toList();
    }

    @Test
    void withProfileSettingsEveryRequestAndFlushRoundIsAnEvent() throws IOException {
        List<RecordedEvent> events = recordCopy("profile");

        List<RecordedEvent> requests = events.stream().filter(e -> e.getEventType().getName().equals("io.nbd4j.Request")).toList();
        long written = requests.stream().filter(e -> e.getString("operation").equals("write")).mapToLong(e -> e.getLong("length")).sum();
        assertThat(written).isGreaterThanOrEqualTo((long) COPY_MIB << 20);
        assertThat(requests).anySatisfy(e -> {
            assertThat(e.getString("operation")).isEqualTo("write");
            assertThat(e.getLong("offset")).isEqualTo(8192);
            assertThat(e.getLong("length")).isEqualTo(512);
            assertThat(e.getInt("flags")).isEqualTo(1);   // FUA
            assertThat(e.getString("error")).isNull();
            assertThat(e.getDuration()).isPositive();
        });
        assertThat(requests).anySatisfy(e -> {
            assertThat(e.getString("operation")).isEqualTo("read");
            assertThat(e.getLong("offset")).isEqualTo(64L << 20);
            assertThat(e.getString("error")).isEqualTo("EINVAL");
        });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.nbd4j.MultiConnRound"))
                .isNotEmpty().allSatisfy(e -> {
                    assertThat(e.getString("group")).isEmpty();
                    assertThat(e.getInt("requests")).isPositive();
                    assertThat(e.getInt("failed")).isZero();
                });
    }

    @Test
    void withDefaultSettingsNoneIsRecorded() throws IOException {
        assertThat(recordCopy("default")).isEmpty();
    }
}
