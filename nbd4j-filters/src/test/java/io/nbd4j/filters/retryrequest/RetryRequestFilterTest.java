package io.nbd4j.filters.retryrequest;

import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryRequestFilterTest {
    private static ServedStack served(ScriptedPlugin disk, String... parameters) throws Exception {
        return ServedStack.of(disk, new RetryRequestFilter()).config("retry-request-delay=1ms").config(parameters).start();
    }

    @Test
    void aFailedRequestIsMadeAgainOnTheSameLayersWithoutReopening() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).fill(0, new byte[] {5});
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("pread", 2, NbdError.EIO);
            assertThat(client.pread(0, 1)).containsExactly(5);
        }
        assertThat(disk.calls()).containsExactly("pread 0+1 failed", "pread 0+1 failed", "pread 0+1");
        assertThat(disk.events()).filteredOn(e -> e.startsWith("open")).hasSize(1);
    }

    @Test
    void onceTheRetriesAreSpentTheClientSeesTheLastError() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = served(disk, "retry-request-retries=1"); NbdClient client = served.connect()) {
            disk.failNext("flush", 5, NbdError.ENOSPC);
            assertThatThrownBy(client::flush).isInstanceOfSatisfying(NbdClientException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.ENOSPC.wireValue()));
        }
        assertThat(disk.calls()).containsExactly("flush failed", "flush failed");
    }

    @Test
    void theOpenIsRetriedUnlessTurnedOff() throws Exception {
        ScriptedPlugin retried = new ScriptedPlugin(1 << 16).failNext("open", 2, NbdError.EIO);
        try (ServedStack served = served(retried); NbdClient client = served.connect()) {
            client.pread(0, 1);
        }
        assertThat(retried.events()).filteredOn(e -> e.startsWith("open")).hasSize(3);

        ScriptedPlugin once = new ScriptedPlugin(1 << 16).failNext("open", 1, NbdError.EIO);
        try (ServedStack served = served(once, "retry-request-open=false")) {
            assertThatThrownBy(served::connect).isInstanceOf(Exception.class);
        }
        assertThat(once.events()).filteredOn(e -> e.startsWith("open")).containsExactly("open export= failed");
    }

    @Test
    void aFastZeroThatIsNotFastFailsAtOnceInsteadOfWaitingForRetries() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("zero", 3, NbdError.ENOTSUP);
            assertThatThrownBy(() -> client.zero(512, 0, CommandFlags.FAST_ZERO)).isInstanceOfSatisfying(NbdClientException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP.wireValue()));
        }
        assertThat(disk.calls()).containsExactly("zero 0+512 may_trim fast failed");
    }

    @Test
    void parametersAreCheckedAtStart() {
        assertThatThrownBy(() -> Layers.configured(new RetryRequestFilter(), "retry-request-retries=1001"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("0 to 1000");
        assertThatThrownBy(() -> Layers.configured(new RetryRequestFilter(), "retry-request-delay=0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be 0");
    }
}
