package io.nbd4j.filters.exitwhen;

import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.RecordingConnection;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedNext;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ExitWhenFilterTest {
    @TempDir
    Path dir;

    final ScriptedPlugin disk = new ScriptedPlugin(4096);
    final RecordingConnection server = new RecordingConnection();
    ExitWhenFilter filter;

    @AfterEach
    void unload() {
        if (filter != null) {
            filter.unload();
        }
    }

    ExitWhenFilter configured(String... parameters) throws ConfigException {
        filter = Layers.configured(new ExitWhenFilter(), parameters);
        return filter;
    }

    Handle open() throws IOException {
        filter.preconnect(ClientInfo.withoutAddress(1), false);
        OpenRequest request = new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false, server);
        return filter.open(request, r -> new ServedNext(disk.open(r), null));
    }

    @Test
    void anEventThatHappenedBeforeTheStartStopsTheServerAtOnce() throws Exception {
        Files.createFile(dir.resolve("stop"));
        configured("exit-when-file-created=" + dir.resolve("stop"), "exit-when-poll=3600").afterStart(server);

        assertThat(server.isShuttingDown()).isTrue();
    }

    @Test
    void afterTheEventNewClientsAreRefusedAndTheLastToLeaveStopsTheServer() throws Exception {
        Path stop = dir.resolve("stop");
        configured("exit-when-file-created=" + stop);
        Handle a = open();
        Handle b = open();

        Files.createFile(stop);
        assertThatThrownBy(this::open).isInstanceOf(NbdException.class).hasMessageContaining("exiting");
        a.close();
        assertThat(server.isShuttingDown()).isFalse();
        b.close();
        assertThat(server.isShuttingDown()).isTrue();
    }

    @Test
    void aDeletedFileAScriptExitingWith88AndAnExitedProcessAreEvents() throws Exception {
        Path keep = Files.createFile(dir.resolve("keep"));
        FileEvent deleted = new FileEvent(keep, false);
        assertThat(deleted.happened()).isFalse();
        Files.delete(keep);
        assertThat(deleted.happened()).isTrue();

        assertThat(new ScriptEvent("exit 0").happened()).isFalse();
        assertThat(new ScriptEvent("exit 1").happened()).as("other statuses are errors, not the event").isFalse();
        assertThat(new ScriptEvent("test -e " + keep + " || exit 88").happened()).isTrue();

        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try (ProcessEvent exited = new ProcessEvent(sleeper.pid())) {
            assertThat(exited.happened()).isFalse();
            sleeper.destroy();
            sleeper.waitFor();
            assertThat(exited.happened()).isTrue();
        }
    }

    @Test
    void anIdleServerNoticesTheEventByPollingAndStops() throws Exception {
        Path stop = dir.resolve("stop");
        try (ServedStack served = ServedStack.of(disk, new ExitWhenFilter())
                .config("exit-when-file-created=" + stop, "exit-when-poll=20ms").start()) {
            Files.createFile(stop);
            served.server().awaitTermination();
            assertThat(served.server().control().isShuttingDown()).isTrue();
        }
    }

    @Test
    void badParametersFailAtConfiguration() {
        assertThatThrownBy(() -> configured("exit-when-process-exits=0")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> configured("exit-when-process-exits=2147483647"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot watch process");
        assertThatThrownBy(() -> configured("exit-when-poll=0")).isInstanceOf(ConfigException.class).hasMessageContaining("more than 0");
        filter = null;
    }
}
