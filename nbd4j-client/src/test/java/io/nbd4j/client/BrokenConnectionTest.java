package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that dies fails every outstanding and later request, and close() still returns. */
class BrokenConnectionTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void serverCrashFailsRequestsInFlightAndLaterOnesAndCloseDoesNotHang() throws Exception {
        ExternalServer server = ExternalServer.nbdkit("--filter=delay", "memory", "1M", "delay-read=20");
        try (server) {
            NbdClient client = server.connect();
            CompletableFuture<Void> slowRead = client.preadAsync(ByteBuffer.allocate(512), 0, 0);

            server.kill();

            assertThatThrownBy(slowRead::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(NbdClientException.class,
                            e -> assertThat(e.error()).isEqualTo(NbdClientException.NO_ERROR_VALUE));
            assertThatThrownBy(() -> client.pwrite(new byte[512], 0)).isInstanceOf(NbdClientException.class);
            assertThat(client.closed()).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(NbdClientException.class);
            client.close();
        }
    }

    /** So that a proxy sharing one upstream connection reconnects for the very next client. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRequestThatCannotBeSentEndsTheConnectionBeforeTheReaderNoticesAnything() throws Exception {
        try (ExtendedHeaderServer server = new ExtendedHeaderServer(true)) {
            NbdClient client = NbdClient.connect(server.address(), NbdClient.Options.builder().extendedHeaders(true).build());
            // the server still holds its socket open and sends nothing: the reader stays blocked
            assertThatThrownBy(() -> client.pwrite(new byte[512], 0)).isInstanceOf(NbdClientException.class)
                    .hasMessageContaining("connection lost while sending");
            assertThat(client.closed()).isCompletedExceptionally();
            client.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closeWaitsForRequestsInFlightBeforeDisconnecting() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--filter=delay", "memory", "1M", "delay-write=200ms")) {
            NbdClient client = server.connect();
            CompletableFuture<Void> slowWrite = client.pwriteAsync(ByteBuffer.wrap(new byte[] {1, 2}), 0, 0);

            client.close();

            assertThat(slowWrite).isCompleted().isNotCompletedExceptionally();
            assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10));
            try (NbdClient second = server.connect()) {
                assertThat(second.pread(0, 2)).containsExactly(1, 2);
            }
        }
    }
}
