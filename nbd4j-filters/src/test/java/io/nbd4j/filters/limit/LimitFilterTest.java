package io.nbd4j.filters.limit;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedNext;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class LimitFilterTest {
    final ScriptedPlugin disk = new ScriptedPlugin(4096);
    final ClientInfo client = ClientInfo.withoutAddress(1);

    Handle open(LimitFilter filter) throws IOException {
        OpenRequest request = new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false);
        return filter.open(request, r -> new ServedNext(disk.open(r), null));
    }

    @Test
    void clientsBeyondTheLimitAreTurnedAwayUntilOneLeaves() throws Exception {
        LimitFilter filter = Layers.configured(new LimitFilter(), "limit=2");
        Handle first = open(filter);
        open(filter);

        assertThatThrownBy(() -> filter.preconnect(client, false))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.getMessage()).contains("too many clients"));
        assertThatThrownBy(() -> open(filter)).as("a client that slipped past preconnect is refused at open")
                .isInstanceOf(NbdException.class);

        first.close();
        filter.preconnect(client, false);
        open(filter);
    }

    @Test
    void theDefaultLimitIsOneAndZeroMeansNone() throws Exception {
        LimitFilter one = Layers.configured(new LimitFilter());
        open(one);
        assertThatThrownBy(() -> one.preconnect(client, false)).isInstanceOf(NbdException.class);

        LimitFilter none = Layers.configured(new LimitFilter(), "limit=0");
        List<Handle> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(open(none));
        }
        none.preconnect(client, false);
        assertThat(many).hasSize(100);
    }

    @Test
    void aPlaceTakenByAnOpenThatFailedBelowIsGivenBack() throws Exception {
        LimitFilter filter = Layers.configured(new LimitFilter(), "limit=1");
        disk.failNext("open", 1, NbdError.EIO);
        assertThatThrownBy(() -> open(filter)).isInstanceOf(IOException.class);

        filter.preconnect(client, false);
        open(filter);
    }

    @Test
    void aSecondClientIsDroppedWhileTheFirstIsConnected() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new LimitFilter()).start();
             NbdClient first = served.connect()) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
            assertThat(first.pread(0, 512)).hasSize(512);
        }
    }
}
