package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpTransportTest {

    @Test
    void nbdUriConnectsOverLoopbackTcpAndMovesData() throws Exception {
        try (ExternalServer server = ExternalServer.nbdkitTcp("memory", "1M");
             NbdClient client = NbdClient.connect(server.uri(""))) {
            assertThat(server.address()).isInstanceOf(NbdAddress.Tcp.class);
            client.pwrite(new byte[] {4, 5, 6}, 100);

            assertThat(client.pread(100, 3)).containsExactly(4, 5, 6);
        }
    }
}
