package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a layer may ask of the server and of its own connection: a graceful shutdown, a soft or a
 * forced disconnect of one client, and a sleep that a disconnect or shutdown cuts short.
 */
@Timeout(60)
class ServerControlTest {
    static final int ESHUTDOWN = NbdError.ESHUTDOWN.wireValue();

    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    @TempDir
    Path dir;
    final RecordingFilter filter = new RecordingFilter("control", new CopyOnWriteArrayList<>());
    final List<SocketChannel> sockets = new CopyOnWriteArrayList<>();

    /** Held reads, released after each test: a test that fails while one is held must not leave the server's stop waiting for it. */
    final List<GatedDisk> heldDisks = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        heldDisks.forEach(d -> d.release.countDown());
        for (SocketChannel s : sockets) {
            s.close();
        }
    }

    private Path serve(RamDisk disk) throws Exception {
        Path socket = dir.resolve("sock");
        fixture.start(ServerFixture.builder(disk, filter).unixSocket(socket));
        return socket;
    }

    private TestClient client(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        sockets.add(channel);
        TestClient c = TestClient.over(channel);
        c.negotiateSimple();
        return c;
    }

    @Test
    void aShutdownAskedByALayerLetsTheRunningRequestFinishThenStopsTheServer() throws Exception {
        GatedDisk disk = new GatedDisk("pread");
        heldDisks.add(disk);
        Path socket = serve(disk);
        filter.onFlush = connection -> connection.server().shutdown();
        TestClient c = client(socket);

        c.request(0, Command.READ, 1, 0, 4096, null);
        disk.entered.await();
        c.request(0, Command.FLUSH, 2, 0, 0, null);
        assertThat(c.simpleReply(2)).isZero();
        assertThat(filter.server.isShuttingDown()).isTrue();

        disk.release.countDown();
        assertThat(c.simpleReply(1)).isZero();
        assertThat(c.read(4096).array()).containsOnly(0);
        fixture.server().awaitTermination();
        assertThat(socket).doesNotExist();
        assertThat(disk.calls("finish")).isEqualTo(1);
        assertThat(disk.calls("close")).isEqualTo(1);
    }

    @Test
    void aForcedDisconnectDropsOnlyThatClient() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        Path socket = serve(disk);
        filter.onFlush = connection -> connection.disconnect(true);
        TestClient dropped = client(socket);
        TestClient other = client(socket);

        dropped.request(0, Command.FLUSH, 1, 0, 0, null);
        assertThat(dropped.serverClosed()).isTrue();

        other.request(0, Command.WRITE, 2, 0, 512, new byte[512]);
        assertThat(other.simpleReply(2)).isZero();
        other.request(0, Command.READ, 3, 0, 512, null);
        assertThat(other.simpleReply(3)).isZero();
        assertThat(other.read(512).array()).hasSize(512);
        assertThat(fixture.server().control().isShuttingDown()).isFalse();
    }

    @Test
    void aSoftDisconnectAnswersTheRequestThatAskedAndRunsNoneAfterIt() throws Exception {
        RamDisk disk = new RamDisk(1 << 20);
        Path socket = serve(disk);
        filter.onFlush = connection -> connection.disconnect(false);
        TestClient leaving = client(socket);
        TestClient other = client(socket);

        leaving.request(0, Command.FLUSH, 1, 0, 0, null);
        assertThat(leaving.simpleReply(1)).isZero();
        try {
            leaving.request(0, Command.READ, 2, 0, 512, null);
        } catch (IOException e) {
            // the server no longer reads: the socket may refuse the bytes at once
        }
        // the read is refused with ESHUTDOWN, or never read at all
        byte[] rest = leaving.rest();
        if (rest.length > 0) {
            ByteBuffer reply = ByteBuffer.wrap(rest);
            assertThat(rest).hasSize(16);
            assertThat(reply.getInt(4)).isEqualTo(ESHUTDOWN);
            assertThat(reply.getLong(8)).isEqualTo(2);
        }
        assertThat(disk.calls("pread")).isZero();

        other.request(0, Command.READ, 3, 0, 512, null);
        assertThat(other.simpleReply(3)).isZero();
    }

    /** Each read first sleeps an hour through the connection's sleep. */
    static final class SleepingDisk extends RamDisk {
        final CountDownLatch sleeping = new CountDownLatch(1);

        SleepingDisk() {
            super(1 << 20);
        }

        @Override
        public Handle open(OpenRequest request) throws IOException {
            super.open(request);
            ClientConnection connection = request.connection();
            return new DiskHandle() {
                @Override
                public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                    sleeping.countDown();
                    connection.sleep(Duration.ofHours(1));
                    super.pread(buffer, offset, flags);
                }
            };
        }
    }

    @Test
    void aLayersSleepEndsWithEshutdownWhenTheServerShutsDown() throws Exception {
        SleepingDisk disk = new SleepingDisk();
        TestClient c = client(serve(disk));

        c.request(0, Command.READ, 1, 0, 512, null);
        disk.sleeping.await();
        fixture.server().control().shutdown();

        assertThat(c.simpleReply(1)).isEqualTo(ESHUTDOWN);
        fixture.server().awaitTermination();
        assertThat(disk.calls("pread")).isZero();
    }

    @Test
    void aLayersSleepEndsWithEshutdownWhenTheClientDisconnects() throws Exception {
        SleepingDisk disk = new SleepingDisk();
        TestClient c = client(serve(disk));

        c.request(0, Command.READ, 1, 0, 512, null);
        disk.sleeping.await();
        c.disconnect();

        assertThat(c.simpleReply(1)).isEqualTo(ESHUTDOWN);
        assertThat(c.serverClosed()).isTrue();
        assertThat(fixture.server().control().isShuttingDown()).isFalse();
    }

    @Test
    void aSleepOfAConnectionThatIsNotEndingLastsItsTime() throws Exception {
        RamDisk disk = new RamDisk(4096);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            c.negotiateSimple();
            ClientConnection connection = filter.opened.getFirst().connection();

            connection.sleep(Duration.ofMillis(1));
            assertThat(connection.isEnding()).isFalse();
            c.disconnect();
            c.awaitServerSide();
            assertThat(connection.isEnding()).isTrue();
            assertThatThrownBy(() -> connection.sleep(Duration.ofHours(1)))
                    .hasMessageContaining("ending");
        }
    }
}
