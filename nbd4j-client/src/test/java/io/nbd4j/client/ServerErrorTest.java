package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Errors that nbdkit replies with surface as {@link NbdClientException}s carrying the NBD error value. */
class ServerErrorTest {

    @Test
    void writesToAReadOnlyExportFailWithEperm() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("-r", "memory", "1M");
             NbdClient client = server.connect()) {
            assertThat(client.isReadOnly()).isTrue();

            assertFailsWith(ErrorCode.EPERM, () -> client.pwrite(new byte[512], 0));
            assertFailsWith(ErrorCode.EPERM, () -> client.zero(512, 0, 0));
            assertFailsWith(ErrorCode.EPERM, () -> client.trim(512, 0, 0));
            assertThat(client.pread(0, 512)).isEqualTo(new byte[512]);
        }
    }

    @Test
    void fastZeroThatCannotBeFastFailsWithEnotsupWhilePlainZeroWorks() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--filter=nozero", "memory", "1M",
                "zeromode=emulate", "fastzeromode=slow");
             NbdClient client = server.connect()) {
            assertThat(client.canFastZero()).isTrue();

            assertFailsWith(ErrorCode.ENOTSUP, () -> client.zero(4096, 0, CommandFlags.FAST_ZERO));
            client.zero(4096, 0, 0);
        }
    }

    @Test
    void readErrorReportedInAStructuredErrorChunkFailsOnlyThatRead() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--filter=error", "memory", "1M",
                "error-pread=EIO", "error-pread-rate=1");
             NbdClient client = server.connect()) {
            assertThat(client.structuredRepliesNegotiated()).isTrue();

            assertFailsWith(ErrorCode.EIO, () -> client.pread(0, 4096));
            client.pwrite(new byte[] {1}, 0);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void eshutdownMakesTheClientDisconnectSoftlyByItself() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--filter=error", "memory", "1M",
                "error-pread=ESHUTDOWN", "error-pread-rate=1");
             NbdClient client = server.connect()) {
            assertFailsWith(ErrorCode.ESHUTDOWN, () -> client.pread(0, 512));

            assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(20));
            assertThatThrownBy(() -> client.pwrite(new byte[1], 0)).isInstanceOfSatisfying(NbdClientException.class,
                    e -> assertThat(e).hasMessageContaining("client disconnected"));
        }
    }

    private static void assertFailsWith(int error, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NbdClientException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e).hasMessageContaining(NbdClientException.errorName(error));
        });
    }
}
