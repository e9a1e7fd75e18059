package io.nbd4j.filters.exitlast;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.RecordingConnection;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedNext;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ExitLastFilterTest {
    final ScriptedPlugin disk = new ScriptedPlugin(4096);
    final ExitLastFilter filter = new ExitLastFilter();
    final RecordingConnection connection = new RecordingConnection();

    Handle open(boolean probe) throws IOException {
        OpenRequest request = new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, probe, connection);
        return filter.open(request, r -> new ServedNext(disk.open(r), null));
    }

    @Test
    void theServerStopsWhenTheLastOfSeveralClientsLeavesAndNotBefore() throws Exception {
        Handle a = open(false);
        Handle b = open(false);

        a.close();
        assertThat(connection.isShuttingDown()).isFalse();
        b.close();
        assertThat(connection.isShuttingDown()).isTrue();
    }

    @Test
    void aProbeBeforeTheExportOpensDoesNotStopTheServer() throws Exception {
        open(true).close();
        assertThat(connection.isShuttingDown()).isFalse();
    }

    @Test
    void aServedClientsDisconnectEndsTheServer() throws Exception {
        try (ServedStack served = ServedStack.of(disk, filter).start()) {
            try (NbdClient client = served.connect()) {
                client.pread(0, 512);
            }
            served.server().awaitTermination();
            assertThat(served.server().control().isShuttingDown()).isTrue();
        }
    }
}
