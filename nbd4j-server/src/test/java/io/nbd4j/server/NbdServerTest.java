package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listeners and the server's lifecycle. */
class NbdServerTest {
    @TempDir
    Path dir;

    @Test
    void tcpWildcardListenerOnAnEphemeralPortServesIpv4AndIpv6Clients() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        try (NbdServer server = ServerFixture.builder(disk).tcp(null, 0).start()) {
            assertThat(server.tcpPort()).isPositive();
            assertThat(server.unixSockets()).isEmpty();
            for (String host : new String[] {"127.0.0.1", "::1"}) {
                try (SocketChannel socket = SocketChannel.open(new InetSocketAddress(host, server.tcpPort()));
                     TestClient c = TestClient.over(socket)) {
                    assertThat(c.negotiateSimple().size()).isEqualTo(1 << 20);
                }
            }
        }
    }

    @Test
    void tcpListenerOnANamedHostBindsItsAddresses() throws Exception {
        try (NbdServer server = ServerFixture.builder(new RamDisk(4096)).tcp("127.0.0.1", 0).start();
             SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.tcpPort()));
             TestClient c = TestClient.over(socket)) {
            assertThat(c.negotiateSimple().size()).isEqualTo(4096);
        }
    }

    @Test
    void serverWithoutTcpReportsNoPort() throws Exception {
        try (NbdServer server = ServerFixture.builder(new RamDisk(4096)).start()) {
            assertThat(server.tcpPort()).isEqualTo(-1);
        }
    }

    @Test
    void layersAreRequired() {
        assertThatThrownBy(() -> NbdServer.builder().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layers");
    }

    @Test
    void bindingAnExistingPathFailsWithTheSocketNamed() throws Exception {
        Path taken = Files.createFile(dir.resolve("taken"));
        assertThatThrownBy(() -> ServerFixture.builder(new RamDisk(4096)).unixSocket(taken).start())
                .isInstanceOf(IOException.class).hasMessageContaining(taken.toString());
    }

    @Test
    void closeLetsARunningRequestReplyThenClosesConnectionsAndRemovesTheSocket() throws Exception {
        GatedDisk disk = new GatedDisk("pread");
        Path socketPath = dir.resolve("nbd.sock");
        NbdServer server = ServerFixture.builder(disk).unixSocket(socketPath).start();
        assertThat(server.unixSockets()).containsExactly(socketPath);
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
             TestClient c = TestClient.over(socket)) {
            socket.connect(UnixDomainSocketAddress.of(socketPath));
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 512, null);
            disk.entered.await();
            Thread closer = Thread.ofVirtual().start(server::close);
            disk.release.countDown();
            assertThat(c.simpleReply(1)).isZero();
            assertThat(c.read(512).array()).containsOnly(0);
            assertThat(c.serverClosed()).isTrue();
            closer.join();
            server.awaitTermination();
        }
        assertThat(Files.exists(socketPath)).isFalse();
        assertThat(disk.calls("close")).isEqualTo(1);
    }

    @Test
    void closeEndsAClientThatIsStillNegotiating() throws Exception {
        Path socketPath = dir.resolve("idle.sock");
        NbdServer server = ServerFixture.builder(new RamDisk(4096)).unixSocket(socketPath).start();
        try (SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
             TestClient c = TestClient.over(socket)) {
            c.start();
            server.close();
            assertThat(c.serverClosed()).isTrue();
        }
    }

    /**
     * Each listener has a platform thread of its own blocked in accept(), so that a server with no
     * virtual thread waiting on a socket never starts the JDK's poller; close() still ends them.
     */
    @Test
    void closeEndsTheAcceptorThreadBlockedOnEachListener() throws Exception {
        Set<Thread> before = acceptorThreads();
        Set<Thread> acceptors;
        try (NbdServer server = ServerFixture.builder(new RamDisk(4096))
                .unixSocket(dir.resolve("a.sock")).tcp("127.0.0.1", 0).start()) {
            acceptors = acceptorThreads();
            acceptors.removeAll(before);
            assertThat(acceptors).hasSize(2).allSatisfy(t -> {
                assertThat(t.isVirtual()).isFalse();
                assertThat(t.isDaemon()).isTrue();
            });
        }
        assertThat(acceptors).noneMatch(Thread::isAlive);
    }

    /** Live platform threads named as the server names its acceptors (virtual threads are not listed). */
    private static Set<Thread> acceptorThreads() {
        Set<Thread> found = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("nbd4j-accept")) {
                found.add(t);
            }
        }
        return found;
    }
}
