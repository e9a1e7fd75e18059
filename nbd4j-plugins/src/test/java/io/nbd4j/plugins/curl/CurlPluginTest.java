package io.nbd4j.plugins.curl;

import io.nbd4j.plugins.curl.TinyHttpServer.Behaviour;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The curl plugin against a small HTTP server of the test's own that serves right, or wrong on purpose. */
class CurlPluginTest {
    private static final byte[] IMAGE = new byte[6 << 20];

    static {
        new Random(42).nextBytes(IMAGE);
    }

    @TempDir
    Path dir;

    private static CurlPlugin ready(String... parameters) throws Exception {
        CurlPlugin plugin = new CurlPlugin();
        for (String word : parameters) {
            int equals = word.indexOf('=');
            plugin.config(word.substring(0, equals), word.substring(equals + 1));
        }
        plugin.configComplete();
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    private static Handle open(CurlPlugin plugin) throws Exception {
        return plugin.open(new OpenRequest("", true, false, 1, ThreadModel.PARALLEL, false));
    }

    private static byte[] read(Handle handle, long offset, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        handle.pread(buffer, offset, 0);
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }

    private static byte[] expected(long offset, int length) {
        return Arrays.copyOfRange(IMAGE, (int) offset, (int) offset + length);
    }

    @Test
    void aGoodServerGivesTheSizeAndTheBytesOfEveryRange() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"));
            try (Handle handle = open(plugin)) {
                assertThat(handle.size()).isEqualTo(IMAGE.length);
                assertThat(handle.canWrite()).isFalse();
                assertThat(handle.canMultiConn()).isTrue();
                assertThat(Arrays.equals(read(handle, 0, 4096), expected(0, 4096))).isTrue();
                assertThat(Arrays.equals(read(handle, 12345, 777), expected(12345, 777))).isTrue();
                int large = RemoteDisk.PIECE + 4096;
                assertThat(Arrays.equals(read(handle, 1000, large), expected(1000, large)))
                        .as("a read longer than one piece, sent as several ranged GETs").isTrue();
            } finally {
                plugin.unload();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "IGNORES_RANGE, ignored the Range header",
            "WRONG_CONTENT_RANGE, Content-Range",
            "SHORT_BODY, ",
            "RESETS, ",
            "LONGER_BODY, longer than",
    })
    void aMisbehavingServerGivesEioNeverWrongBytes(Behaviour behaviour, String reason) throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, behaviour)) {
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"));
            try (Handle handle = open(plugin)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(8192);
                var thrown = assertThatThrownBy(() -> handle.pread(buffer, 8192, 0))
                        .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO))
                        .hasMessageContaining("GET " + server.url("/disk.img") + " bytes=8192-16383");
                if (reason != null) {
                    thrown.hasMessageContaining(reason);
                }
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void aServerThatStallsTimesOutInsteadOfHanging() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.STALLS)) {
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"), "timeout=1");
            try (Handle handle = open(plugin)) {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                        assertThatThrownBy(() -> handle.pread(ByteBuffer.allocateDirect(8192), 0, 0))
                                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO))
                                .hasMessageContaining("timeout=1"));
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void withoutAcceptRangesTheSizeComesFromAOneByteRangedGet() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            server.headHeaders = "Content-Length: " + IMAGE.length + "\r\n";
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"));
            try (Handle handle = open(plugin)) {
                assertThat(handle.size()).isEqualTo(IMAGE.length);
                assertThat(server.requests).anySatisfy(r -> assertThat(r.headers()).containsEntry("range", "bytes=0-0"));
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void aServerThatRefusesHeadIsSizedByAOneByteRangedGet() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            server.headRefusal = "405 Method Not Allowed";
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"));
            try (Handle handle = open(plugin)) {
                assertThat(handle.size()).isEqualTo(IMAGE.length);
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void noMoreRequestsAreInFlightThanConnectionsAllows() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"), "connections=2");
            try (Handle handle = open(plugin)) {
                List<CompletableFuture<byte[]>> reads = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    long offset = i * 65536L;
                    reads.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return read(handle, offset, 65536);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                for (int i = 0; i < reads.size(); i++) {
                    assertThat(Arrays.equals(reads.get(i).get(60, TimeUnit.SECONDS), expected(i * 65536L, 65536))).isTrue();
                }
                assertThat(server.mostInProgress.get()).isBetween(1, 2);
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void headersCookieUserAgentAndCredentialsAreSent() throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "s3cret\n");
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"), "header=X-Token: abc", "header=X-Empty;",
                    "cookie=session=42", "user-agent=tester/1", "user=alice", "password=+" + secret);
            try (Handle handle = open(plugin)) {
                read(handle, 0, 512);
            } finally {
                plugin.unload();
            }
            assertThat(server.requests).isNotEmpty().allSatisfy(r -> assertThat(r.headers())
                    .containsEntry("x-token", "abc").containsEntry("x-empty", "")
                    .containsEntry("cookie", "session=42").containsEntry("user-agent", "tester/1")
                    .containsEntry("authorization", "Basic YWxpY2U6czNjcmV0"));
        }
    }

    @Test
    void redirectsAreFollowedButCredentialsStayWithTheirHost() throws Exception {
        try (TinyHttpServer target = new TinyHttpServer(IMAGE, Behaviour.GOOD);
             TinyHttpServer first = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            first.redirectTo = target.url("/elsewhere.img");
            CurlPlugin plugin = ready("url=" + first.url("/disk.img"), "user=alice", "password=pw");
            try (Handle handle = open(plugin)) {
                assertThat(Arrays.equals(read(handle, 4096, 4096), expected(4096, 4096))).isTrue();
            } finally {
                plugin.unload();
            }
            assertThat(first.requests).allSatisfy(r -> assertThat(r.headers()).containsKey("authorization"));
            assertThat(target.requests).isNotEmpty().allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/elsewhere.img");
                assertThat(r.headers()).doesNotContainKey("authorization");
            });
        }
    }

    @Test
    void withFollowLocationOffARedirectIsAnError() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            server.redirectTo = server.url("/other.img");
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"), "followlocation=false");
            try {
                assertThatThrownBy(() -> open(plugin))
                        .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO))
                        .hasMessageContaining("302");
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void aRedirectToASchemeOutsideProtocolsIsRefused() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(IMAGE, Behaviour.GOOD)) {
            server.redirectTo = "https://127.0.0.1:1/disk.img";
            CurlPlugin plugin = ready("url=" + server.url("/disk.img"), "protocols=http");
            try {
                assertThatThrownBy(() -> open(plugin)).isInstanceOf(NbdException.class).hasMessageContaining("protocols=");
            } finally {
                plugin.unload();
            }
        }
    }

    @Test
    void anUnreachableServerRefusesTheClientWithEio() throws Exception {
        CurlPlugin plugin = ready("url=http://127.0.0.1:1/disk.img");
        try {
            assertThatThrownBy(() -> open(plugin))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EIO))
                    .hasMessageContaining("127.0.0.1:1");
        } finally {
            plugin.unload();
        }
    }
}
