package io.nbd4j.server;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.PeerCredentials;
import io.nbd4j.spi.ServerControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What layers learn about the server and each client before the handshake, and in which order. */
@Timeout(60)
class ClientInfoTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();
    final RecordingFilter outer = new RecordingFilter("outer", log);
    final RecordingFilter inner = new RecordingFilter("inner", log);
    final RamDisk disk = new RamDisk(1 << 20) {
        @Override
        public void preconnect(boolean readOnly) {
            log.add("plugin preconnect");
        }

        @Override
        public void afterStart(ServerControl server) {
            log.add("plugin afterStart");
        }
    };

    @Test
    void unixClientIsDescribedByItsProcessCredentialsAndTheSocketItCameThrough() throws Exception {
        Path socket = dir.resolve("sock");
        Instant before = Instant.now();
        fixture.start(ServerFixture.builder(disk, outer).unixSocket(socket));
        Path mine = Files.createFile(dir.resolve("owned-by-this-process"));
        ClientInfo client;
        PeerCredentials peer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            TestClient c = TestClient.over(channel);
            c.negotiateSimple();
            client = outer.preconnected.getFirst();
            peer = client.peer();
        }

        assertThat(client.isUnix()).isTrue();
        assertThat(client.isTcp()).isFalse();
        assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        assertThat(peer).isNotNull();
        assertThat(peer.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(peer.uid()).isEqualTo(((Integer) Files.getAttribute(mine, "unix:uid")).longValue());
        assertThat(peer.gid()).isEqualTo(((Integer) Files.getAttribute(mine, "unix:gid")).longValue());
        assertThat(client.peer()).as("kept once read").isEqualTo(peer);
        assertThat(client.connectedAt()).isBetween(before, Instant.now());
        assertThat(outer.opened.getFirst().client()).isEqualTo(client);
        assertThat(outer.opened.getFirst().connectionId()).isEqualTo(client.connectionId());
    }

    /** The credentials are read when a layer asks; asked for only after the connection closed, they are unknown. */
    @Test
    void unixCredentialsFirstAskedForAfterTheConnectionClosedAreNull() throws Exception {
        Path socket = dir.resolve("sock");
        fixture.start(ServerFixture.builder(disk, outer).unixSocket(socket));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            TestClient.over(channel).negotiateSimple();
        }
        fixture.server().close();

        assertThat(outer.preconnected.getFirst().peer()).isNull();
    }

    @Test
    void tcpClientIsDescribedByItsAddressAndPort() throws Exception {
        fixture.start(ServerFixture.builder(disk, outer).tcp("127.0.0.1", 0));
        int clientPort;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", fixture.server().tcpPort()))) {
            clientPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            TestClient.over(channel).negotiateSimple();
        }

        ClientInfo client = outer.preconnected.getFirst();
        assertThat(client.isTcp()).isTrue();
        assertThat(client.address()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort));
        assertThat(client.localAddress()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.server().tcpPort()));
        assertThat(client.peer()).isNull();
    }

    @Test
    void clientOnChannelsHasNoAddressButAConnectionIdOfItsOwn() throws Exception {
        try (TestClient first = fixture.connect(ServerFixture.builder(disk, outer)); TestClient second = fixture.client()) {
            first.negotiateSimple();
            second.negotiateSimple();
        }

        assertThat(outer.preconnected).hasSize(2).allSatisfy(c -> {
            assertThat(c.address()).isNull();
            assertThat(c.peer()).isNull();
        });
        assertThat(outer.preconnected.get(0).connectionId()).isNotEqualTo(outer.preconnected.get(1).connectionId());
    }

    @Test
    void preconnectAsksTheOutermostFilterFirstAndThePluginLast() throws Exception {
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, outer, inner))) {
            c.negotiateSimple();
        }

        assertThat(log).containsSubsequence("outer preconnect", "inner preconnect", "plugin preconnect");
        assertThat(log.stream().filter(l -> l.endsWith("preconnect"))).hasSize(3);
    }

    @Test
    void aLayerThatThrowsInPreconnectRefusesTheClientBeforeTheGreetingAndAsksNoFurtherLayer() throws Exception {
        outer.refuse = true;
        try (TestClient refused = fixture.connect(ServerFixture.builder(disk, outer, inner))) {
            assertThat(refused.serverClosed()).isTrue();
        }
        assertThat(log).containsExactly("plugin afterStart", "inner afterStart", "outer afterStart", "outer preconnect");
        assertThat(disk.calls("open")).isZero();

        outer.refuse = false;
        try (TestClient welcome = fixture.client()) {
            assertThat(welcome.negotiateSimple().size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void afterStartRunsInnermostFirstWithTheServersStartTime() throws Exception {
        Instant before = Instant.now();
        fixture.start(ServerFixture.builder(disk, outer, inner));

        assertThat(log).containsExactly("plugin afterStart", "inner afterStart", "outer afterStart");
        assertThat(outer.server).isSameAs(inner.server).isSameAs(fixture.server().control());
        assertThat(outer.server.startedAt()).isBetween(before, Instant.now());
        assertThat(outer.server.isShuttingDown()).isFalse();
    }

    @Test
    void aFailingAfterStartFailsTheStartAndLeavesNoSocketBehind() {
        Path socket = dir.resolve("sock");
        RamDisk failing = new RamDisk(4096) {
            @Override
            public void afterStart(ServerControl server) throws IOException {
                throw new IOException("no watcher");
            }
        };

        assertThatThrownBy(() -> fixture.start(ServerFixture.builder(failing).unixSocket(socket)))
                .isInstanceOf(IOException.class).hasMessageContaining("no watcher");
        assertThat(socket).doesNotExist();
    }
}
