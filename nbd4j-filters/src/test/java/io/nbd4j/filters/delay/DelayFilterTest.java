package io.nbd4j.filters.delay;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.RecordingConnection;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedNext;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delays asked for, recorded by a connection that does not wait, and how a real server cuts them short. */
@Timeout(60)
class DelayFilterTest {
    final ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
    final RecordingConnection connection = new RecordingConnection();

    Handle open(String... parameters) throws Exception {
        DelayFilter filter = Layers.configured(new DelayFilter(), parameters);
        OpenRequest request = new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false, connection);
        return filter.open(request, r -> new ServedNext(disk.open(r), null));
    }

    @Test
    void eachKindOfCallWaitsItsOwnDelayAndFlushNever() throws Exception {
        Handle h = open("rdelay=1", "delay-write=200ms", "delay-zero=3", "delay-trim=4", "delay-extents=5", "delay-cache=6");
        h.pread(ByteBuffer.allocate(512), 0, 0);
        h.pwrite(ByteBuffer.allocate(512), 0, 0);
        h.zero(512, 0, 0);
        h.trim(512, 0, 0);
        h.extents(512, 0, 0, (o, l, t) -> {});
        h.cache(512, 0, 0);
        h.flush(0);

        assertThat(connection.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(3),
                Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(disk.calls()).hasSize(7);
    }

    @Test
    void wdelayDelaysWritesZeroesAndTrimsButNotReads() throws Exception {
        Handle h = open("wdelay=2", "delay-reads=0");
        h.pread(ByteBuffer.allocate(512), 0, 0);
        h.pwrite(ByteBuffer.allocate(512), 0, 0);
        h.zero(512, 0, 0);
        h.trim(512, 0, 0);

        assertThat(connection.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void openingWaitsBeforeTheLayersBelowOpenAndClosingAsksTheServersSleep() throws Exception {
        Handle h = open("delay-open=7", "delay-close=8");
        assertThat(connection.sleeps()).containsExactly(Duration.ofSeconds(7));

        h.close();
        assertThat(connection.serverSleeps()).containsExactly(Duration.ofSeconds(8));
    }

    @Test
    void withDelayFastZeroFalseAFastZeroFailsAtOnceWithoutReachingThePlugin() throws Exception {
        Handle h = open("delay-zero=10", "delay-fast-zero=false");

        assertThat(h.canFastZero()).isTrue();
        assertThatThrownBy(() -> h.zero(512, 0, Flags.FAST_ZERO))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ENOTSUP));
        assertThat(connection.sleeps()).isEmpty();
        assertThat(disk.calls()).isEmpty();

        h.zero(512, 0, 0);
        assertThat(connection.sleeps()).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void aConnectionThatEndedFailsItsDelayedCallsWithEshutdown() throws Exception {
        Handle h = open("rdelay=1");
        connection.end();

        assertThatThrownBy(() -> h.pread(ByteBuffer.allocate(512), 0, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ESHUTDOWN));
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void timesTakeSecondsFractionsAndMillisecondsButNotWords() throws Exception {
        Layers.configured(new DelayFilter(), "rdelay=1.5", "wdelay=10ms");
        assertThatThrownBy(() -> Layers.configured(new DelayFilter(), "rdelay=soon"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rdelay");
        assertThatThrownBy(() -> Layers.configured(new DelayFilter(), "delay-fast-zero=maybe"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delay-fast-zero");
    }

    /** An hour-long read delay holds up neither the server's shutdown nor the plugin, which never sees the read. */
    @Test
    void aShutdownEndsADelayedReadAtOnce() throws Exception {
        ServedStack served = ServedStack.of(disk, new DelayFilter()).config("rdelay=3600").start();
        NbdClient client = served.connect();
        CompletableFuture<Void> read = client.preadAsync(ByteBuffer.allocate(512), 0, 0);

        served.close();

        assertThatThrownBy(read::get).isInstanceOf(ExecutionException.class);
        assertThat(disk.calls()).isEmpty();
    }
}
