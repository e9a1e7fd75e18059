package io.nbd4j.filters.retry;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Concurrently;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(120)
class RetryFilterTest {
    private static ServedStack served(ScriptedPlugin disk, String... parameters) throws Exception {
        String[] all = new String[parameters.length + 1];
        all[0] = "retry-delay=1ms";
        System.arraycopy(parameters, 0, all, 1, parameters.length);
        return ServedStack.of(disk, new RetryFilter()).config(all).start();
    }

    private static long opens(ScriptedPlugin disk) {
        return disk.events().stream().filter(e -> e.startsWith("open")).count();
    }

    private static void assertFailsWith(NbdError error, Concurrently.Request request) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(NbdClientException.class,
                e -> assertThat(e.error()).isEqualTo(error.wireValue()));
    }

    @Test
    void aFailedReadIsMadeAgainOnFreshlyOpenedLayersAndTheOldOnesAreClosed() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).fill(0, new byte[] {7, 8, 9});
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("pread", 2, NbdError.EIO);
            assertThat(client.pread(0, 3)).containsExactly(7, 8, 9);
        }
        assertThat(disk.events()).containsSubsequence("open export=", "prepare", "pread 0+3 failed", "finish", "close",
                "open export=", "prepare", "pread 0+3 failed", "finish", "close", "open export=", "prepare", "pread 0+3");
        assertThat(opens(disk)).isEqualTo(3);
    }

    @Test
    void onceTheRetriesAreSpentTheClientSeesTheError() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = served(disk, "retries=2"); NbdClient client = served.connect()) {
            disk.failNext("pwrite", 10, NbdError.ENOSPC);
            assertFailsWith(NbdError.ENOSPC, () -> client.pwrite(new byte[512], 0));
        }
        assertThat(disk.calls()).containsExactly("pwrite 0+512 failed", "pwrite 0+512 failed", "pwrite 0+512 failed");
        assertThat(opens(disk)).isEqualTo(3);
    }

    @Test
    void withRetryReadonlyTheLayersAreReopenedReadOnlyAndEveryLaterWriteIsRefused() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = served(disk, "retry-readonly=yes"); NbdClient client = served.connect()) {
            disk.failNext("pwrite", 3, NbdError.EIO);
            assertFailsWith(NbdError.EPERM, () -> client.pwrite(new byte[512], 0));
            assertFailsWith(NbdError.EPERM, () -> client.zero(512, 0, 0));
            client.pread(0, 512);
        }
        assertThat(disk.events()).filteredOn(e -> e.startsWith("open")).containsExactly("open export=", "open export= readonly");
        assertThat(disk.calls()).containsExactly("pwrite 0+512 failed", "pread 0+512");
    }

    @Test
    void aFailedOpenIsTriedAgainAndAReopenThatFailsCountsAsARetry() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).failNext("open", 1, NbdError.EIO);
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("pread", 1, NbdError.EIO).failNext("open", 1, NbdError.EIO);
            client.pread(0, 512);
        }
        assertThat(disk.events()).filteredOn(e -> e.startsWith("open"))
                .containsExactly("open export= failed", "open export=", "open export= failed", "open export=");
    }

    @Test
    void extentsOfAFailedAttemptNeverReachTheClient() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).fill(4096, new byte[] {1});
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("extents", 2, NbdError.EIO);
            assertThat(client.blockStatus(3 * 4096, 0, 0)).containsExactly(new Extent(0, 4096, 3),
                    new Extent(4096, 4096, 0), new Extent(8192, 4096, 3));
        }
    }

    @Test
    void aFastZeroIsNotRetriedAndFailsAtOnceWhenTheLayersBelowCannotZeroFast() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.failNext("zero", 1, NbdError.EIO);
            client.zero(512, 0, CommandFlags.FAST_ZERO);
            disk.canFastZero(false).failNext("zero", 1, NbdError.EIO);
            assertFailsWith(NbdError.ENOTSUP, () -> client.zero(512, 0, CommandFlags.FAST_ZERO));
        }
        assertThat(disk.calls()).containsExactly("zero 0+512 may_trim fast failed", "zero 0+512 may_trim fast",
                "zero 0+512 may_trim fast failed");
        assertThat(opens(disk)).as("no reopen after the reopened layers turned out unable to zero fast").isEqualTo(3);
    }

    @Test
    void aFastZeroThatTheReopenedLayersCannotDoFailsBeforeItsMissingFuaIsRetried() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).fua(FuaMode.NATIVE);
        try (ServedStack served = served(disk); NbdClient client = served.connect()) {
            disk.fua(FuaMode.NONE).canFastZero(false).failNext("zero", 1, NbdError.EIO);
            assertFailsWith(NbdError.ENOTSUP, () -> client.zero(512, 0, CommandFlags.FAST_ZERO | CommandFlags.FUA));
        }
        assertThat(disk.calls()).containsExactly("zero 0+512 fua may_trim fast failed");
        assertThat(opens(disk)).isEqualTo(2);
    }

    @Test
    void aShutdownCutsTheWaitBeforeARetryShort() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        try (ServedStack served = ServedStack.of(disk, new RetryFilter()).config("retry-delay=3600").start()) {
            NbdClient client = served.connect();
            disk.failNext("pread", 1, NbdError.EIO);
            Thread read = Concurrently.start(() -> client.pread(0, 512));
            while (!disk.calls().contains("pread 0+512 failed")) {
                Thread.onSpinWait();
            }
            served.server().close();
            assertThatThrownBy(() -> Concurrently.join(read)).isInstanceOf(AssertionError.class);
        }
        assertThat(disk.events()).endsWith("finish", "close").doesNotContain("pread 0+512");
    }

    @Test
    void parametersAreCheckedAtStart() {
        assertThatThrownBy(() -> Layers.configured(new RetryFilter(), "retry-delay=0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be 0");
        assertThatThrownBy(() -> Layers.configured(new RetryFilter(), "retries=-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retries");
        assertThatThrownBy(() -> Layers.configured(new RetryFilter(), "retry-exponential=maybe"))
                .isInstanceOf(ConfigException.class);
        assertThat(List.of(new RetryFilter().parameters().stream().map(p -> p.key()).toArray()))
                .containsExactly("retries", "retry-delay", "retry-exponential", "retry-readonly");
    }
}
