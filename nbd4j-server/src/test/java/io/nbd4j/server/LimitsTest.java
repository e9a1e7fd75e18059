package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each configurable limit, when a client reaches it, ends that client's connection (or refuses the
 * option) while the server goes on serving others.
 */
@Timeout(60)
class LimitsTest {
    final RamDisk disk = new RamDisk(1 << 20);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    final List<SocketChannel> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (SocketChannel s : sockets) {
            s.close();
        }
    }

    private TestClient tcpClient() throws IOException {
        SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", fixture.server().tcpPort()));
        sockets.add(s);
        return TestClient.over(s);
    }

    @Test
    void connectionsBeyondTheMaximumAreClosedWithoutAGreetingUntilOneLeaves() throws Exception {
        fixture.start(ServerFixture.builder(disk).tcp("127.0.0.1", 0).maxConnections(2));
        TestClient first = tcpClient();
        first.greeting();
        tcpClient().greeting();

        assertThat(tcpClient().serverClosed()).as("third connection closed at once").isTrue();

        sockets.getFirst().close();
        // the server notices the first client left only when its reader sees the end of stream
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            TestClient next = tcpClient();
            if (!next.serverClosed()) {
                break;
            }
            assertThat(System.nanoTime()).as("a slot was freed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void connectionIsClosedOnceItsOptionAllowanceIsSpentWithoutEnteringTransmission() throws Exception {
        fixture.start(ServerFixture.builder(disk).maxOptions(3));
        try (TestClient c = fixture.client()) {
            c.start();
            for (int i = 0; i < 3; i++) {
                assertThat(c.lastType(c.option(Option.STRUCTURED_REPLY, new byte[0]))).isEqualTo(OptionReply.ACK);
            }
            // the third was the last allowed and did not enter transmission
            assertThat(c.serverClosed()).isTrue();
        }
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
        }
    }

    @Test
    void clientThatDoesNotFinishTheHandshakeInTimeIsClosed() throws Exception {
        fixture.start(ServerFixture.builder(disk).handshakeTimeout(Duration.ofMillis(200)));
        try (TestClient silent = fixture.client()) {
            silent.greeting();
            assertThat(silent.serverClosed()).isTrue();
            silent.awaitServerSide();
        }
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            // in transmission the handshake timeout no longer applies
            Thread.sleep(600);
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isZero();
            c.read(512);
        }
    }

    @Test
    void timeTheServerSpendsOpeningTheExportIsNotChargedToTheClientsHandshake() throws Exception {
        RamDisk slowToOpen = new RamDisk(1 << 20) {
            @Override
            public Handle open(OpenRequest request) throws IOException {
                // A layer that prepares for long, as gzip decompressing or luks deriving a key does.
                request.connection().sleep(Duration.ofMillis(900));
                return super.open(request);
            }
        };
        fixture.start(ServerFixture.builder(slowToOpen).handshakeTimeout(Duration.ofMillis(300)));
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isZero();
            c.read(512);
        }
    }

    @Test
    void idleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        fixture.start(ServerFixture.builder(disk).idleTimeout(Duration.ofSeconds(1)));
        try (TestClient busy = fixture.client(); TestClient idle = fixture.client()) {
            busy.negotiateSimple();
            idle.negotiateSimple();
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            for (long cookie = 1; System.nanoTime() < end; cookie++) {
                busy.request(0, Command.FLUSH, cookie, 0, 0, null);
                assertThat(busy.simpleReply(cookie)).isZero();
                Thread.sleep(50);
            }
            assertThat(idle.serverClosed()).as("idle connection closed").isTrue();
            busy.disconnect();
            assertThat(busy.serverClosed()).as("busy connection ends only on DISC").isTrue();
        }
    }

    /** Holds every plugin call until released, counting how many wait at once. */
    static final class GatedDisk extends RamDisk {
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger mostActive = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);

        GatedDisk() {
            super(1 << 20);
        }

        @Override
        void enter(String call) {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        void leave(String call) {
            active.decrementAndGet();
        }
    }

    @Test
    void requestsInFlightNeverExceedTheThreadsSetting() throws Exception {
        GatedDisk held = new GatedDisk();
        fixture.start(ServerFixture.builder(held).threads(3));
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            for (int cookie = 1; cookie <= 10; cookie++) {
                c.request(0, Command.READ, cookie, cookie * 4096L, 4096, null);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (held.active.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // give a fourth request every chance to start, were the limit not enforced
            Thread.sleep(200);
            assertThat(held.mostActive.get()).isEqualTo(3);
            held.gate.countDown();
            for (int i = 0; i < 10; i++) {
                assertThat(c.read(16).getInt(4)).isZero();
                c.read(4096);
            }
            assertThat(held.mostActive.get()).isEqualTo(3);
        }
    }

    @Test
    void settingsRefuseNonsense() {
        NbdServer.Builder b = NbdServer.builder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.maxConnections(0)).hasMessageContaining("maxConnections");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.maxOptions(0)).hasMessageContaining("maxOptions");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.idleTimeout(Duration.ofSeconds(-1))).hasMessageContaining("idleTimeout");
    }
}
