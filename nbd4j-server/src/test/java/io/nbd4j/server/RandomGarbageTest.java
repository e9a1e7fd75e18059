package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes a client sends, in negotiation or in transmission, the server answers or hangs up on
 * that client alone, releases what it opened, and goes on serving everyone else.
 */
class RandomGarbageTest {
    static RamDisk disk;
    static NbdServer server;

    @BeforeContainer
    static void start() throws Exception {
        disk = new RamDisk(1 << 16);
        server = ServerFixture.builder(disk).start();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 150)
    void garbageDuringNegotiationEndsOnlyThatConnection(@ForAll @Size(max = 300) byte[] garbage) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            c.greeting();
            c.write(garbage);
            c.closeOutput();
            c.drain();
            c.awaitServerSide();
        }
        assertThat(disk.calls("open")).isEqualTo(disk.calls("close"));
        assertStillServes();
    }

    @Property(tries = 150)
    void garbageDuringTransmissionEndsOnlyThatConnection(@ForAll @Size(max = 300) byte[] garbage,
                                                         @ForAll boolean structured) throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            if (structured) {
                c.negotiateStructured();
            } else {
                c.negotiateSimple();
            }
            ByteBuffer request = ByteBuffer.allocate(28 + garbage.length);
            request.putInt(io.nbd4j.protocol.Magic.REQUEST).put(garbage, 0, Math.min(24, garbage.length));
            request.put(garbage).flip();
            c.write(request);
            c.closeOutput();
            c.drain();
            c.awaitServerSide();
        }
        assertThat(disk.calls("open")).isEqualTo(disk.calls("close"));
        assertStillServes();
    }

    private static void assertStillServes() throws Exception {
        try (TestClient c = TestClient.connect(server)) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isZero();
            c.read(512);
            c.disconnect();
            c.awaitServerSide();
        }
    }
}
