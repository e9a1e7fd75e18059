package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdClient;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Completion;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nbd4j.plugins.nbd.Proxies.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nbd plugin in front of an nbd4j server in this JVM whose plugin records what reaches it. */
class NbdPluginTest {
    @TempDir
    Path dir;

    private interface ProxyCheck {
        void check(Handle handle, NbdClient direct, NbdPlugin proxy) throws Exception;
    }

    /**
     * Serves {@code disk} upstream at {@code dir/up}, opens one proxy handle configured with {@code socket=}
     * that socket plus {@code parameters}, and one direct client to compare with; closes all after {@code check}.
     */
    private void throughProxy(RecordingDisk disk, ProxyCheck check, String... parameters) throws Exception {
        String[] words = new String[parameters.length + 1];
        words[0] = "socket=" + dir.resolve("up");
        System.arraycopy(parameters, 0, words, 1, parameters.length);
        try (UpstreamServer upstream = UpstreamServer.start(disk, dir.resolve("up"));
             NbdClient direct = NbdClient.connect(upstream.uri())) {
            NbdPlugin proxy = Proxies.ready(words);
            try (Handle handle = proxy.open(open(""))) {
                check.check(handle, direct, proxy);
            } finally {
                proxy.unload();
            }
        }
    }

    @Test
    void everyCapabilityAndDetailOfTheExportIsTheUpstreams() throws Exception {
        RecordingDisk disk = new RecordingDisk().with("rotational", true).with("trim", false).with("fua", false)
                .with("multi-conn", false).with("cache", true);
        disk.description = "the upstream's words";
        disk.blockSize = new BlockSize(4096, 65536, 1 << 20);
        throughProxy(disk, (handle, direct, proxy) -> {
            assertThat(handle.size()).isEqualTo(direct.size()).isEqualTo(RecordingDisk.SIZE);
            assertThat(handle.description()).isEqualTo("the upstream's words");
            assertThat(handle.blockSize()).isEqualTo(new BlockSize(4096, 65536, 1 << 20));
            assertThat(handle.isRotational()).isTrue();
            assertThat(handle.canTrim()).isFalse();
            assertThat(handle.canFua()).isEqualTo(FuaMode.NONE);
            assertThat(handle.canMultiConn()).isFalse();
            assertThat(handle.canCache()).isEqualTo(CacheMode.NATIVE);
            assertThat(handle.canWrite()).isEqualTo(!direct.isReadOnly()).isTrue();
            assertThat(handle.canFlush()).isEqualTo(direct.canFlush());
            assertThat(handle.canZero()).isEqualTo(direct.canZero());
            assertThat(handle.canFastZero()).isEqualTo(direct.canFastZero());
            assertThat(handle.canExtents()).isTrue();
        });
    }

    @Test
    void theOppositeCapabilitiesArePassedOnToo() throws Exception {
        RecordingDisk disk = new RecordingDisk().with("write", false).with("rotational", false).with("cache", false)
                .with("multi-conn", true).with("fua", true);
        throughProxy(disk, (handle, direct, proxy) -> {
            assertThat(handle.canWrite()).isFalse();
            assertThat(handle.isRotational()).isFalse();
            assertThat(handle.canCache()).isEqualTo(CacheMode.NONE);
            assertThat(handle.canMultiConn()).isTrue();
            assertThat(handle.canFua()).isEqualTo(direct.canFua() ? FuaMode.NATIVE : FuaMode.NONE);
        });
    }

    @Test
    void requestsReachTheUpstreamWithTheirFlags() throws Exception {
        RecordingDisk disk = new RecordingDisk();
        throughProxy(disk, (handle, direct, proxy) -> {
            handle.pwrite(ByteBuffer.wrap(new byte[4096]), 8192, Flags.FUA);
            handle.zero(4096, 16384, Flags.MAY_TRIM | Flags.FAST_ZERO);
            handle.zero(4096, 20480, Flags.FUA);
            handle.trim(4096, 24576, Flags.FUA);
            handle.cache(8192, 0, 0);
            handle.flush(0);
            handle.extents(RecordingDisk.SIZE, 0, Flags.REQ_ONE, (offset, length, type) -> { });
        });
        assertThat(disk.callsOf("pwrite")).containsExactly(new RecordingDisk.Call("pwrite", 8192, 4096, Flags.FUA));
        assertThat(disk.callsOf("zero")).containsExactly(
                new RecordingDisk.Call("zero", 16384, 4096, Flags.MAY_TRIM | Flags.FAST_ZERO),
                new RecordingDisk.Call("zero", 20480, 4096, Flags.FUA));
        assertThat(disk.callsOf("trim")).containsExactly(new RecordingDisk.Call("trim", 24576, 4096, Flags.FUA));
        assertThat(disk.callsOf("cache")).containsExactly(new RecordingDisk.Call("cache", 0, 8192, 0));
        assertThat(disk.callsOf("flush")).hasSize(1);
        assertThat(disk.callsOf("extents")).singleElement()
                .satisfies(call -> assertThat(call.flags() & Flags.REQ_ONE).isEqualTo(Flags.REQ_ONE));
    }

    @Test
    void dataWrittenThroughTheProxyIsTheUpstreamsAndReadsBack() throws Exception {
        byte[] data = new byte[65536];
        new Random(7).nextBytes(data);
        throughProxy(new RecordingDisk(), (handle, direct, proxy) -> {
            handle.pwrite(ByteBuffer.wrap(data), 131072, 0);
            assertThat(Arrays.equals(direct.pread(131072, data.length), data)).isTrue();
            ByteBuffer back = ByteBuffer.allocateDirect(data.length);
            handle.pread(back, 131072, 0);
            byte[] read = new byte[data.length];
            back.get(0, read);
            assertThat(Arrays.equals(read, data)).isTrue();
        });
    }

    @Test
    void extentsAreTheUpstreams() throws Exception {
        List<long[]> seen = new ArrayList<>();
        throughProxy(new RecordingDisk(), (handle, direct, proxy) ->
                handle.extents(RecordingDisk.SIZE, 0, 0, (offset, length, type) -> seen.add(new long[] {offset, length, type})));
        assertThat(seen).containsExactly(new long[] {0, RecordingDisk.HOLE_START, Extents.DATA},
                new long[] {RecordingDisk.HOLE_START, RecordingDisk.SIZE - RecordingDisk.HOLE_START, Extents.HOLE | Extents.ZERO});
    }

    @Test
    void anUpstreamErrorReachesTheClientWithTheSameError() throws Exception {
        throughProxy(new RecordingDisk(), (handle, direct, proxy) -> {
            assertThatThrownBy(() -> handle.pwrite(ByteBuffer.wrap(new byte[512]), RecordingDisk.FAILING_OFFSET, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ENOSPC));
            handle.pwrite(ByteBuffer.wrap(new byte[512]), 0, 0);
        });
    }

    /** What a started request reported: null for success, else its failure. */
    private static IOException outcome(CompletableFuture<IOException> reported) throws Exception {
        return reported.get(30, TimeUnit.SECONDS);
    }

    @Test
    void startedReadsAndWritesCarryTheDataAndTheUpstreamsErrorToTheCompletion() throws Exception {
        byte[] data = new byte[65536];
        new Random(11).nextBytes(data);
        throughProxy(new RecordingDisk(), (handle, direct, proxy) -> {
            CompletableFuture<IOException> written = new CompletableFuture<>();
            assertThat(handle.startPwrite(ByteBuffer.wrap(data), 65536, 0, written::complete)).isTrue();
            assertThat(outcome(written)).isNull();
            assertThat(Arrays.equals(direct.pread(65536, data.length), data)).isTrue();

            ByteBuffer back = ByteBuffer.allocateDirect(data.length);
            CompletableFuture<IOException> read = new CompletableFuture<>();
            assertThat(handle.startPread(back, 65536, 0, read::complete)).isTrue();
            assertThat(outcome(read)).isNull();
            byte[] got = new byte[data.length];
            back.get(0, got);
            assertThat(Arrays.equals(got, data)).isTrue();

            CompletableFuture<IOException> refused = new CompletableFuture<>();
            assertThat(handle.startPwrite(ByteBuffer.wrap(new byte[512]), RecordingDisk.FAILING_OFFSET, 0,
                    refused::complete)).isTrue();
            assertThat(outcome(refused)).isInstanceOfSatisfying(NbdException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.ENOSPC));
        });
    }

    @Test
    void aSharedConnectionStartsNothingSoThatOneClientCannotHoldUpAnothersReplies() throws Exception {
        throughProxy(new RecordingDisk(), (handle, direct, proxy) -> {
            Completion never = failure -> {
                throw new AssertionError("a declined request must not complete");
            };
            assertThat(handle.startPread(ByteBuffer.allocate(512), 0, 0, never)).isFalse();
            assertThat(handle.startPwrite(ByteBuffer.allocate(512), 0, 0, never)).isFalse();
        }, "shared=true");
    }

    @Test
    void aStartedReadOnALostUpstreamCompletesWithEio() throws Exception {
        Path socket = dir.resolve("up");
        UpstreamServer upstream = UpstreamServer.start(new RecordingDisk(), socket);
        NbdPlugin proxy = Proxies.ready("socket=" + socket);
        try (Handle handle = proxy.open(open(""))) {
            upstream.close();
            CompletableFuture<IOException> read = new CompletableFuture<>();
            assertThat(handle.startPread(ByteBuffer.allocate(512), 0, 0, read::complete)).isTrue();
            assertThat(outcome(read)).isInstanceOfSatisfying(NbdException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.EIO));
        } finally {
            proxy.unload();
        }
    }

    @Test
    void eachClientConnectionGetsItsOwnUpstreamConnection() throws Exception {
        RecordingDisk disk = new RecordingDisk();
        throughProxy(disk, (first, direct, proxy) -> {
            try (Handle second = proxy.open(open(""))) {
                assertThat(disk.openConnections).as("two through the proxy and the direct client's").hasValue(3);
            }
        });
    }

    @Test
    void sharedModeServesEveryClientOverOneUpstreamConnectionAndAdvertisesMultiConn() throws Exception {
        RecordingDisk disk = new RecordingDisk().with("multi-conn", false);
        throughProxy(disk, (first, direct, proxy) -> {
            try (Handle second = proxy.open(open(""))) {
                byte[] sector = new byte[512];
                sector[100] = 42;
                first.pwrite(ByteBuffer.wrap(sector), 512, 0);
                ByteBuffer back = ByteBuffer.allocate(512);
                second.pread(back, 512, 0);
                assertThat(back.get(100)).isEqualTo((byte) 42);
                assertThat(first.canMultiConn()).isTrue();
                assertThat(disk.openConnections).as("the shared one and the direct client's").hasValue(2);
            }
        }, "shared=true");
    }

    /** With a connection per client the next client connects anew; in shared mode it reopens the shared connection. */
    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void aLostUpstreamFailsRequestsWithEioAndTheNextClientConnectsAnew(boolean shared) throws Exception {
        Path socket = dir.resolve("up");
        UpstreamServer upstream = UpstreamServer.start(new RecordingDisk(), socket);
        NbdPlugin proxy = Proxies.ready("socket=" + socket, "shared=" + shared);
        PrometheusRegistry registry = new PrometheusRegistry();
        Proxies.publishTo(proxy, registry);
        try (Handle before = proxy.open(open(""))) {
            upstream.close();
            assertThatThrownBy(() -> before.pread(ByteBuffer.allocate(512), 0, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO));
            try (UpstreamServer restarted = UpstreamServer.start(new RecordingDisk(), socket);
                 Handle after = proxy.open(open(""))) {
                after.pread(ByteBuffer.allocate(512), 0, 0);
            }
            assertThat(Proxies.counted(registry, "nbd4j_nbd_reconnects")).isEqualTo(shared ? 1 : 0);
        } finally {
            proxy.unload();
        }
    }

    @Test
    void anUnreachableUpstreamRefusesTheClientWithEio() throws Exception {
        NbdPlugin proxy = Proxies.ready("socket=" + dir.resolve("nobody-listens"));
        assertThatThrownBy(() -> proxy.open(open("")))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO))
                .hasMessageContaining("nobody-listens");
    }

    @Test
    void retryKeepsTryingUntilTheServerListens() throws Exception {
        Path socket = dir.resolve("late");
        RecordingDisk disk = new RecordingDisk();
        NbdPlugin proxy = Proxies.ready("socket=" + socket, "retry=30");
        PrometheusRegistry registry = new PrometheusRegistry();
        Proxies.publishTo(proxy, registry);
        CompletableFuture<UpstreamServer> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1500);
                return UpstreamServer.start(disk, socket);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Handle handle = proxy.open(open(""))) {
            assertThat(handle.size()).isEqualTo(RecordingDisk.SIZE);
            assertThat(Proxies.counted(registry, "nbd4j_nbd_connect_retries")).isPositive();
        } finally {
            late.get(60, TimeUnit.SECONDS).close();
            proxy.unload();
        }
    }

    @Test
    void dynamicExportConnectsToTheExportTheClientAskedForAndListsTheUpstreams() throws Exception {
        RecordingDisk disk = new RecordingDisk();
        disk.exports = List.of("a", "b");
        throughProxy(disk, (handle, direct, proxy) -> {
            try (Handle other = proxy.open(open("b"))) {
                assertThat(disk.openedExports).contains("b");
            }
            assertThat(proxy.listExports(false, false)).extracting(e -> e.name() + ":" + e.description())
                    .containsExactly("a:about a", "b:about b");
        }, "dynamic-export=true");
    }

    @Test
    void withoutDynamicExportEveryClientGetsTheConfiguredExport() throws Exception {
        RecordingDisk disk = new RecordingDisk();
        try (UpstreamServer upstream = UpstreamServer.start(disk, dir.resolve("up"))) {
            NbdPlugin proxy = Proxies.ready("uri=nbd+unix:///fixed?socket=" + upstream.socket);
            try (Handle handle = proxy.open(open("whatever"))) {
                assertThat(disk.openedExports).containsExactly("fixed");
            } finally {
                proxy.unload();
            }
        }
    }
}
