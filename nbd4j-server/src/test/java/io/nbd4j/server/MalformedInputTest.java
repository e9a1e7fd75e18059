package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.Magic;
import io.nbd4j.protocol.Option;
import io.nbd4j.protocol.OptionReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The malformed-input classes not already covered by {@link HandshakeTest} and {@link ValidationTest}:
 * each gets the exact error or a clean close of that connection only, nothing half-received reaches
 * the disk, and a well-behaved client is served afterwards.
 */
@Timeout(60)
class MalformedInputTest {
    static final int EINVAL = 22;
    static final int SIZE = 1 << 20;

    final RamDisk disk = new RamDisk(SIZE);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    @BeforeEach
    void start() throws Exception {
        fixture.start(ServerFixture.builder(disk));
    }

    /** A new client negotiates, writes, flushes and reads back. */
    private void anotherClientIsServed() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            byte[] data = "well-behaved".repeat(40).getBytes();
            c.request(0, Command.WRITE, 1, SIZE - 4096, data.length, data);
            assertThat(c.simpleReply(1)).isZero();
            c.request(0, Command.READ, 2, SIZE - 4096, data.length, null);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(c.read(data.length).array()).isEqualTo(data);
            c.disconnect();
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void transmissionRequestDuringTheHandshakeClosesTheConnection() throws Exception {
        try (TestClient c = fixture.client()) {
            c.start();
            c.write(ByteBuffer.allocate(28).putInt(Magic.REQUEST).putShort((short) 0).putShort((short) Command.READ)
                    .putLong(1).putLong(0).putInt(512).flip());
            assertThat(c.serverClosed()).isTrue();
            c.awaitServerSide();
        }
        anotherClientIsServed();
    }

    @Test
    void optionDeclaringMoreDataThanSentThenClosingEndsOnlyThatConnection() throws Exception {
        try (TestClient c = fixture.client()) {
            c.start();
            c.write(ByteBuffer.allocate(16 + 10).putLong(Magic.IHAVEOPT).putInt(Option.GO).putInt(100).put(new byte[10]).flip());
            c.close();
            c.awaitServerSide();
        }
        anotherClientIsServed();
    }

    @Test
    void exportNameLongerThanTheProtocolLimitIsInvalidInGoAndClosesExportName() throws Exception {
        String tooLong = "x".repeat(4097);
        try (TestClient c = fixture.client()) {
            c.start();
            assertThat(c.lastType(c.option(Option.GO, TestClient.infoPayload(tooLong)))).isEqualTo(OptionReply.ERR_INVALID);
            c.sendOption(Option.EXPORT_NAME, tooLong.getBytes());
            assertThat(c.serverClosed()).isTrue();
        }
        anotherClientIsServed();
    }

    @Test
    void offsetPlusLengthWrappingPast2To64IsEinvalAndTheConnectionGoesOn() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, -512L, 1024, null);
            assertThat(c.simpleReply(1)).isEqualTo(EINVAL);
            c.request(0, Command.WRITE, 2, Long.MAX_VALUE - 100, 512, new byte[512]);
            assertThat(c.simpleReply(2)).isNotZero();
            c.request(0, Command.READ, 3, 0, 512, null);
            assertThat(c.simpleReply(3)).isZero();
            c.read(512);
        }
        anotherClientIsServed();
    }

    @Test
    void unknownCommandIsEinvalAndTheConnectionGoesOn() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            c.request(0, 0x55, 1, 0, 0, null);
            assertThat(c.simpleReply(1)).isEqualTo(EINVAL);
            c.request(0, Command.FLUSH, 2, 0, 0, null);
            assertThat(c.simpleReply(2)).isZero();
        }
        anotherClientIsServed();
    }

    @Test
    void writeWhosePayloadStopsShortThenClosesIsNeverApplied() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            ByteBuffer header = ByteBuffer.allocate(28 + 1000).putInt(Magic.REQUEST).putShort((short) 0)
                    .putShort((short) Command.WRITE).putLong(1).putLong(8192).putInt(4096);
            byte[] partial = new byte[1000];
            Arrays.fill(partial, (byte) 'p');
            c.write(header.put(partial).flip());
            c.close();
            c.awaitServerSide();
        }
        assertThat(Arrays.copyOfRange(disk.data, 8192, 8192 + 4096)).as("no byte of the half-sent write").containsOnly(0);
        anotherClientIsServed();
    }

    @Test
    void bytesAfterDiscAreIgnoredAndTheConnectionCloses() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            byte[] data = new byte[512];
            Arrays.fill(data, (byte) 'd');
            ByteBuffer both = ByteBuffer.allocate(28 + 28 + 512)
                    .putInt(Magic.REQUEST).putShort((short) 0).putShort((short) Command.DISC).putLong(1).putLong(0).putInt(0)
                    .putInt(Magic.REQUEST).putShort((short) 0).putShort((short) Command.WRITE).putLong(2).putLong(0).putInt(512)
                    .put(data).flip();
            c.write(both);
            assertThat(c.serverClosed()).isTrue();
            c.awaitServerSide();
        }
        assertThat(Arrays.copyOfRange(disk.data, 0, 512)).as("the write after DISC was not run").containsOnly(0);
        anotherClientIsServed();
    }

    @Test
    void clientThatClosesWithoutReadingItsLargeReadDoesNotStallTheServer() throws Exception {
        try (TestClient c = fixture.client()) {
            c.negotiateSimple();
            for (int cookie = 1; cookie <= 8; cookie++) {
                c.request(0, Command.READ, cookie, 0, SIZE, null);
            }
            c.close();
            c.awaitServerSide();
        }
        anotherClientIsServed();
    }
}
