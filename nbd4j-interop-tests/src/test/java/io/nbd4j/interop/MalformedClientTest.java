package io.nbd4j.interop;

import io.nbd4j.interop.RawNbdConnection.SimpleReply;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static io.nbd4j.interop.RawNbdConnection.CMD_READ;
import static io.nbd4j.interop.RawNbdConnection.CMD_WRITE;
import static io.nbd4j.interop.RawNbdConnection.EINVAL;
import static io.nbd4j.interop.RawNbdConnection.ENOMEM;
import static io.nbd4j.interop.RawNbdConnection.ENOSPC;
import static io.nbd4j.interop.RawNbdConnection.EOVERFLOW;
import static io.nbd4j.interop.RawNbdConnection.EPERM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over a raw socket. Each case gets the protocol's error (and the connection stays usable) or a
 * clean close of that connection only; afterwards the server is alive, serves a well-behaved client (nbdsh),
 * and a write acknowledged before the bad input is still there.
 */
class MalformedClientTest {
    private static final int SIZE = 1 << 20;
    private static final long ACKED_OFFSET = 8192;
    /** What the acknowledged write put at {@link #ACKED_OFFSET}: "ack!" repeated. */
    private static final byte[] ACKED = "ack!".repeat(1024).getBytes(StandardCharsets.US_ASCII);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @ServerTest
    void garbageInsteadOfTheHandshakeClosesOnlyThatConnection(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.connect(s.socket())) {
                c.readGreeting();
                c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(c.awaitClosedByServer(CLOSE_DEADLINE)).as("connection closed").isTrue();
            }
            try (RawNbdConnection c = RawNbdConnection.connect(s.socket())) {
                c.readGreeting();
                // Valid client flags, then an option whose magic is wrong.
                c.send(ByteBuffer.allocate(4 + 16).putInt(RawNbdConnection.FLAG_FIXED_NEWSTYLE)
                        .putLong(0x0123456789abcdefL).putInt(RawNbdConnection.OPT_GO).putInt(0).array());
                assertThat(c.awaitClosedByServer(CLOSE_DEADLINE)).as("connection closed").isTrue();
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    @ServerTest
    void truncatedRequestHeaderClosesOnlyThatConnection(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                ByteBuffer header = RawNbdConnection.requestHeader(CMD_READ, 0, 1, 0, 512);
                c.send(Arrays.copyOf(header.array(), 12));
                c.shutdownOutput();
                assertThat(c.awaitClosedByServer(CLOSE_DEADLINE)).as("connection closed").isTrue();
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    @ServerTest
    void unknownCommandGetsEinvalAndTheConnectionStaysUsable(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                long cookie = c.sendRequest(0x55, 0, 0, 0);
                assertThat(c.readReply(cookie, 0).error()).isEqualTo(EINVAL);

                assertThat(c.read(ACKED_OFFSET, ACKED.length)).satisfies(r -> {
                    assertThat(r.error()).isZero();
                    assertThat(r.data()).isEqualTo(ACKED);
                });
                c.disconnect();
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    @ServerTest
    void requestsPastTheEndGetTheProtocolsErrorsAndTheConnectionStaysUsable(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                assertThat(c.exportSize()).isEqualTo(SIZE);
                assertThat(c.read(SIZE - 512, 4096).error()).as("read past the end").isEqualTo(EINVAL);
                assertThat(c.read(Long.MAX_VALUE - 511, 512).error()).as("offset near 2^63").isEqualTo(EINVAL);
                // The payload of a refused write must still be consumed, or the next header would be misread.
                assertThat(c.write(SIZE - 512, new byte[4096]).error()).as("write past the end")
                        .isEqualTo(ENOSPC);

                assertThat(c.read(ACKED_OFFSET, ACKED.length).data()).isEqualTo(ACKED);
                c.disconnect();
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    @ServerTest
    void writeToAReadOnlyExportGetsEpermAndTheConnectionStaysUsable(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "-r", "memory", "1M")) {
            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                assertThat(c.readOnly()).as("read-only flag advertised").isTrue();

                assertThat(c.write(0, "refused".getBytes(StandardCharsets.US_ASCII)).error()).isEqualTo(EPERM);

                assertThat(c.read(0, 7)).satisfies(r -> {
                    assertThat(r.error()).isZero();
                    assertThat(r.data()).isEqualTo(new byte[7]);
                });
                c.disconnect();
            }

            s.assertAlive();
            assertThat(Clients.nbdsh(s.uri(), "print(h.is_read_only(), h.pread(7, 0) == bytes(7))").strip())
                    .isEqualTo("True True");
        }
    }

    @ServerTest
    void readOfAlmostFourGibibytesGetsAnErrorOrACleanClose(Server server) throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                // 0xffffffff: the largest length a compact header can carry, far above any payload limit.
                long cookie = c.sendRequest(CMD_READ, 0, 0, -1);
                SimpleReply reply = readReplyOrNullIfClosed(c, cookie);
                if (reply != null) {
                    assertThat(reply.error()).isIn(EINVAL, EOVERFLOW, ENOMEM);
                }
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    @ServerTest
    void writeAnnouncingAlmostFourGibibytesWithoutPayloadGetsAnErrorOrACleanClose(Server server)
            throws IOException {
        try (ServerProcess s = ServerProcess.start(server, dir, "memory", "1M")) {
            acknowledgedWrite(s);

            try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
                c.sendRequest(CMD_WRITE, 0, 0, -1);
                c.send(new byte[4096]);
                c.shutdownOutput();
                // Whatever the server says first, it must end the connection rather than wait for 4 GiB.
                assertThat(c.awaitClosedByServer(CLOSE_DEADLINE)).as("connection closed").isTrue();
            }

            assertStillServesTheAcknowledgedWrite(s);
        }
    }

    private static SimpleReply readReplyOrNullIfClosed(RawNbdConnection c, long cookie) throws IOException {
        try {
            return c.readReply(cookie, 0);
        } catch (EOFException closed) {
            return null;
        }
    }

    private static void acknowledgedWrite(ServerProcess s) throws IOException {
        try (RawNbdConnection c = RawNbdConnection.negotiate(s.socket())) {
            assertThat(c.write(ACKED_OFFSET, ACKED).error()).as("write acknowledged").isZero();
            assertThat(c.flush().error()).as("flush acknowledged").isZero();
            c.disconnect();
        }
    }

    private static void assertStillServesTheAcknowledgedWrite(ServerProcess s) {
        s.assertAlive();
        String out = Clients.nbdsh(s.uri(), "print(h.pread(4096, " + ACKED_OFFSET + ") == b'ack!' * 1024)");
        assertThat(out.strip()).as("a new client reads the acknowledged write").isEqualTo("True");
    }
}
