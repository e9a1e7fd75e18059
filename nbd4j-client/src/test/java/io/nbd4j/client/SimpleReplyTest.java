package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nbd4j.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

/** Without structured replies (nbdkit --no-sr) reads carry their data in simple replies. */
class SimpleReplyTest {

    @Test
    void withoutStructuredRepliesDataRoundTripsAndErrorsStillCarryTheirValue() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--no-sr", "memory", "1M");
             NbdClient client = server.connect()) {
            assertThat(client.structuredRepliesNegotiated()).isFalse();
            assertThat(client.metaContexts()).isEmpty();

            byte[] data = TransmissionTest.randomBytes(20000, 7);
            client.pwrite(data, 1000);
            assertThat(client.pread(1000, data.length)).isEqualTo(data);
            assertThatThrownBy(() -> client.pread((1 << 20) - 100, 200))
                    .isInstanceOfSatisfying(NbdClientException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.EINVAL));
            assertThat(client.pread(1000, 4)).containsExactly(data[0], data[1], data[2], data[3]);
        }
    }

    @Test
    void clientThatDoesNotAskForStructuredRepliesGetsSimpleOnes() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("memory", "1M");
             NbdClient client = server.connect(NbdClient.Options.builder().structuredReplies(false).build())) {
            assertThat(client.structuredRepliesNegotiated()).isFalse();
            client.pwrite(new byte[] {3, 1, 4}, 77);
            assertThat(client.pread(77, 3)).containsExactly(3, 1, 4);
        }
    }
}
