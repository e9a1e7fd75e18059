package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.ErrorCode;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.MetaContexts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The extended-header framing end to end, against {@link ExtendedHeaderServer}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExtendedHeadersTest {
    private static final long GIB = 1L << 30;
    private ExtendedHeaderServer server;
    private NbdClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new ExtendedHeaderServer();
        client = NbdClient.connect(server.address(), NbdClient.Options.builder().extendedHeaders(true).build());
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        assertThat(server.failure()).isNull();
    }

    @Test
    void negotiatesExtendedHeadersWithoutAskingForStructuredReplies() {
        assertThat(client.extendedHeadersNegotiated()).isTrue();
        assertThat(client.structuredRepliesNegotiated()).isTrue();
        assertThat(client.size()).isEqualTo(ExtendedHeaderServer.EXPORT_SIZE);
    }

    @Test
    void requestsCarrySixtyFourBitLengths() throws Exception {
        client.trim(6 * GIB, GIB, 0);

        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.magic()).isEqualTo(Magic.EXTENDED_REQUEST);
            assertThat(request.type()).isEqualTo(Command.TRIM);
            assertThat(request.offset()).isEqualTo(GIB);
            assertThat(request.length()).isEqualTo(6 * GIB);
        });
    }

    @Test
    void readAssemblesDataAndHoleChunksFromExtendedReplies() throws Exception {
        ByteBuffer target = ByteBuffer.allocate(100);
        Arrays.fill(target.array(), (byte) 0x55);

        client.pread(target, 5 * GIB);

        byte[] expected = new byte[100];
        for (int i = 0; i < 50; i++) {
            expected[i] = (byte) (i + 1);
        }
        assertThat(target.array()).isEqualTo(expected);
    }

    @Test
    void blockStatusExtDecodesExtentsLongerThanFourGib() throws Exception {
        assertThat(client.blockStatus(ExtendedHeaderServer.EXPORT_SIZE, 0, 0)).containsExactly(
                new Extent(0, 5 * GIB, MetaContexts.STATE_HOLE | MetaContexts.STATE_ZERO),
                new Extent(5 * GIB, 3 * GIB, 0));
    }

    @Test
    void dataOutsideTheRequestedRangeIsAProtocolViolationThatEndsTheConnection() {
        CompletableFuture<Void> otherRead = client.preadAsync(ByteBuffer.allocate(10), 0, 0);

        assertThatThrownBy(() -> client.pread(ExtendedHeaderServer.MISBEHAVING_READ_OFFSET, 16))
                .isInstanceOf(NbdClientException.class).hasMessageContaining("violated the NBD protocol");
        assertThat(client.closed()).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessageContaining("lies outside the read");
        assertThat(otherRead).succeedsWithin(Duration.ofSeconds(10));
        assertThatThrownBy(() -> client.pread(0, 1)).isInstanceOf(NbdClientException.class);
    }

    @Test
    void errorChunkCarriesTheErrorValueAndTheServersMessage() {
        assertThatThrownBy(() -> client.pwrite(new byte[4096], 0))
                .isInstanceOfSatisfying(NbdClientException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.ENOSPC);
                    assertThat(e).hasMessageContaining(ExtendedHeaderServer.WRITE_ERROR_MESSAGE);
                });
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.type()).isEqualTo(Command.WRITE);
            assertThat(request.length()).isEqualTo(4096);
        });
    }
}
