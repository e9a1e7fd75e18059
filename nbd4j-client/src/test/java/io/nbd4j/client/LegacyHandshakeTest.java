package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Servers that offer less of the handshake (nbdkit --mask-handshake) are still reached. */
class LegacyHandshakeTest {

    @Test
    void withoutNoZeroesTheExportNameReplyPaddingIsConsumed() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--mask-handshake=1", "memory", "1M");
             NbdNegotiation negotiation = NbdNegotiation.open(server.address())) {
            assertThat(negotiation.handshakeFlags()).isEqualTo(1);

            try (NbdClient client = negotiation.exportName("")) {
                client.pwrite(new byte[] {7, 7}, 10);
                assertThat(client.pread(10, 2)).containsExactly(7, 7);
            }
        }
    }

    @Test
    void connectFallsBackToExportNameWhenTheServerIsNotFixedNewstyle() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkit("--mask-handshake=0", "memory", "1M");
             NbdClient client = server.connect()) {
            assertThat(client.structuredRepliesNegotiated()).isFalse();
            assertThat(client.size()).isEqualTo(1 << 20);
            client.pwrite(new byte[] {1, 2, 3}, 0);
            assertThat(client.pread(0, 3)).containsExactly(1, 2, 3);
        }
    }
}
