package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.FlightEvents;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JFR event of each request: on in a recording with JFR's profile settings, with what was asked and how it ended. */
@Timeout(120)
class RequestEventTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    @TempDir
    Path dir;

    @Test
    void aProfileRecordingGetsOneEventPerRequest() throws Exception {
        FlightEvents.watch();   // before the recording starts, so that its start is seen at once
        RamDisk disk = new RamDisk(1 << 20);
        Path file = dir.resolve("requests.jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            fixture.start(ServerFixture.builder(disk));
            recording.start();
            try (TestClient c = fixture.client()) {
                c.negotiateSimple();
                c.request(CommandFlags.FUA, Command.WRITE, 1, 8192, 4096, new byte[4096]);
                assertThat(c.simpleReply(1)).isZero();
                disk.failNextRead = new NbdException(NbdError.EIO, "bad sector");
                c.request(0, Command.READ, 2, 0, 512, null);
                assertThat(c.simpleReply(2)).isEqualTo(NbdError.EIO.wireValue());
                c.request(0, Command.TRIM, 3, 1 << 20, 4096, null);   // past the end: refused
                assertThat(c.simpleReply(3)).isEqualTo(NbdError.EINVAL.wireValue());
            }
            fixture.stop();
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.nbd4j.Request")).toList();
        assertThat(events).extracting(e -> e.getString("operation"), e -> e.getLong("offset"), e -> e.getLong("length"),
                        e -> e.getInt("flags"), e -> e.getString("error"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("write", 8192L, 4096L, CommandFlags.FUA, null),
                        org.assertj.core.groups.Tuple.tuple("read", 0L, 512L, 0, "EIO"),
                        org.assertj.core.groups.Tuple.tuple("trim", 1L << 20, 4096L, 0, "EINVAL"));
        assertThat(events.getFirst().getString("export")).isEmpty();
    }
}
