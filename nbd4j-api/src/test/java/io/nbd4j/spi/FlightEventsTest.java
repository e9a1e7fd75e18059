package io.nbd4j.spi;

import jdk.jfr.Configuration;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlightEventsTest {
    @Name(ProbeEvent.NAME)
    @Enabled(false)
    static final class ProbeEvent extends Event {
        static final String NAME = "io.nbd4j.test.Probe";
        long value;
    }

    @TempDir
    Path dir;

    private static List<Long> recordedProbes(Recording recording, Path file) throws Exception {
        new ProbeEvent().commit();   // without begin(): still committed when enabled, so the value tells them apart
        ProbeEvent e = new ProbeEvent();
        e.value = 42;
        e.commit();
        recording.stop();
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(r -> r.getEventType().getName().equals(ProbeEvent.NAME))
                .map((RecordedEvent r) -> r.getLong("value")).toList();
    }

    @Test
    void aProfileRecordingGetsTheDeclaredEventsAndTheDefaultOneDoesNot() throws Exception {
        FlightEvents.declare(ProbeEvent.NAME);
        FlightEvents.watch();

        try (Recording standard = new Recording(Configuration.getConfiguration("default"))) {
            standard.start();
            assertThat(FlightEvents.isRecording()).isFalse();
            assertThat(recordedProbes(standard, dir.resolve("default.jfr"))).isEmpty();
        }
        try (Recording profile = new Recording(Configuration.getConfiguration("profile"))) {
            profile.start();
            assertThat(FlightEvents.isRecording()).isTrue();
            assertThat(recordedProbes(profile, dir.resolve("profile.jfr"))).contains(42L);
            assertThat(FlightEvents.isRecording()).isFalse();
        }
    }

    @Test
    void anyRecordingMayTurnAnEventOnByName() throws Exception {
        FlightEvents.watch();
        try (Recording named = new Recording(Configuration.getConfiguration("default"))) {
            named.enable(ProbeEvent.NAME);
            named.start();
            assertThat(FlightEvents.isRecording()).isTrue();
            assertThat(recordedProbes(named, dir.resolve("named.jfr"))).contains(42L);
        }
        assertThat(FlightEvents.isRecording()).isFalse();
    }
}
