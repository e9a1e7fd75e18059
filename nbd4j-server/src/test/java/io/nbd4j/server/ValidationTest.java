package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.Magic;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.FuaMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request is checked before the plugin sees it, answered with the protocol's error, and the connection goes on. */
class ValidationTest {
    static final int EPERM = 1;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOVERFLOW = 75;
    static final int SIZE = 1 << 20;

    final RamDisk disk = new RamDisk(SIZE);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    TestClient simple(NbdServer.Builder builder) throws Exception {
        TestClient c = fixture.connect(builder);
        c.negotiateSimple();
        return c;
    }

    TestClient simple() throws Exception {
        return simple(ServerFixture.builder(disk));
    }

    /** Sends a request and returns the error of its simple reply. */
    static int error(TestClient c, int flags, int type, long offset, long length, byte[] payload) throws Exception {
        c.request(flags, type, 77, offset, length, payload);
        return c.simpleReply(77);
    }

    /** Proves the connection still serves: a small read succeeds. */
    static void stillServes(TestClient c) throws Exception {
        c.request(0, Command.READ, 78, 0, 512, null);
        assertThat(c.simpleReply(78)).isZero();
        c.read(512);
    }

    @Test
    void writesToAReadOnlyExportAreEperm() throws Exception {
        try (TestClient c = simple(ServerFixture.builder(disk).readOnly(true))) {
            assertThat(error(c, 0, Command.WRITE, 0, 4096, new byte[4096])).isEqualTo(EPERM);
            assertThat(error(c, 0, Command.WRITE_ZEROES, 0, 4096, null)).isEqualTo(EPERM);
            assertThat(error(c, 0, Command.TRIM, 0, 4096, null)).isEqualTo(EPERM);
            stillServes(c);
            assertThat(disk.calls("pwrite") + disk.calls("zero") + disk.calls("trim")).isZero();
        }
    }

    @Test
    void rangesPastTheEndAreEnospcForWritesAndEinvalOtherwise() throws Exception {
        disk.cache = CacheMode.NATIVE;
        try (TestClient c = simple()) {
            assertThat(error(c, 0, Command.WRITE, SIZE - 512, 1024, new byte[1024])).isEqualTo(ENOSPC);
            assertThat(error(c, 0, Command.WRITE_ZEROES, SIZE, 1, null)).isEqualTo(ENOSPC);
            assertThat(error(c, 0, Command.TRIM, SIZE - 1, 2, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.CACHE, SIZE, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.WRITE_ZEROES, -512, 1024, null)).isEqualTo(ENOSPC);
            c.request(0, Command.READ, 5, SIZE - 100, 200, null);
            assertThat(c.simpleReply(5)).isEqualTo(EINVAL);
            stillServes(c);
            assertThat(disk.calls("pwrite") + disk.calls("zero") + disk.calls("trim") + disk.calls("cache")).isZero();
        }
    }

    @Test
    void zeroLengthRequestsAreEinval() throws Exception {
        try (TestClient c = simple()) {
            assertThat(error(c, 0, Command.WRITE, 0, 0, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.TRIM, 0, 0, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.WRITE_ZEROES, 0, 0, null)).isEqualTo(EINVAL);
            stillServes(c);
        }
    }

    @Test
    void unadvertisedCommandsAndFlagsAreEinval() throws Exception {
        disk.canTrim = false;
        disk.canFlush = false;
        disk.fua = FuaMode.NONE;
        try (TestClient c = simple()) {
            assertThat(error(c, 0, Command.TRIM, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.FLUSH, 0, 0, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.CACHE, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.BLOCK_STATUS, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, 99, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, CommandFlags.FUA, Command.WRITE, 0, 512, new byte[512])).isEqualTo(EINVAL);
            assertThat(error(c, 1 << 9, Command.WRITE, 0, 512, new byte[512])).isEqualTo(EINVAL);
            assertThat(error(c, CommandFlags.NO_HOLE, Command.WRITE, 0, 512, new byte[512])).isEqualTo(EINVAL);
            assertThat(error(c, CommandFlags.REQ_ONE, Command.WRITE_ZEROES, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, CommandFlags.PAYLOAD_LEN, Command.WRITE, 0, 512, new byte[512])).isEqualTo(EINVAL);
            c.request(CommandFlags.DF, Command.READ, 9, 0, 512, null);
            assertThat(c.simpleReply(9)).isEqualTo(EINVAL);
            stillServes(c);
            assertThat(disk.calls("pwrite") + disk.calls("zero") + disk.calls("trim") + disk.calls("flush")).isZero();
        }
    }

    @Test
    void flushWithAnOffsetOrLengthIsEinval() throws Exception {
        try (TestClient c = simple()) {
            assertThat(error(c, 0, Command.FLUSH, 0, 512, null)).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.FLUSH, 0, 0, null)).isZero();
        }
    }

    @Test
    void blockStatusWithoutBaseAllocationIsEinvalEvenWithStructuredReplies() throws Exception {
        fixture.start(ServerFixture.builder(disk));
        try (TestClient c = fixture.client()) {
            c.start();
            c.structuredReplies();
            c.go("");
            c.request(0, Command.BLOCK_STATUS, 1, 0, 512, null);
            assertThat(c.replyError(1)).isEqualTo(EINVAL);
            assertThat(disk.calls("extents")).isZero();
        }
    }

    @Test
    void baseAllocationNegotiatedForAnotherExportIsNotActive() throws Exception {
        fixture.start(ServerFixture.builder(disk));
        try (TestClient c = fixture.client()) {
            c.start();
            c.structuredReplies();
            c.baseAllocation("other");
            c.go("");
            c.request(0, Command.BLOCK_STATUS, 1, 0, 512, null);
            assertThat(c.replyError(1)).isEqualTo(EINVAL);
        }
    }

    @Test
    void requestsNotAlignedToTheMinimumBlockSizeAreEinval() throws Exception {
        disk.blockSize = new BlockSize(512, 4096, 1 << 20);
        try (TestClient c = simple()) {
            assertThat(error(c, 0, Command.WRITE, 100, 512, new byte[512])).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.WRITE, 0, 100, new byte[100])).isEqualTo(EINVAL);
            assertThat(error(c, 0, Command.WRITE, 512, 512, new byte[512])).isZero();
        }
    }

    @Test
    void aBlockSizeTheLayerDoesNotWantEnforcedIsOnlyAdvertised() throws Exception {
        disk.blockSize = new BlockSize(512, 4096, 64 << 10);
        disk.blockSizeEnforced = false;
        try (TestClient c = simple(ServerFixture.builder(disk).maxPayload(256 << 10))) {
            assertThat(error(c, 0, Command.WRITE, 100, 512, new byte[512])).isZero();
            assertThat(error(c, 0, Command.WRITE, 0, 128 << 10, new byte[128 << 10])).isZero();
            assertThat(error(c, 0, Command.WRITE, 0, 512 << 10, new byte[512 << 10])).isEqualTo(EINVAL);
            assertThat(disk.calls("pwrite")).isEqualTo(2);
        }
    }

    @Test
    void oversizedWriteIsReadAndDroppedThenRefusedAndTheConnectionGoesOn() throws Exception {
        try (TestClient c = simple(ServerFixture.builder(disk).maxPayload(64 << 10))) {
            assertThat(error(c, 0, Command.WRITE, 0, 128 << 10, new byte[128 << 10])).isEqualTo(EINVAL);
            c.request(0, Command.READ, 2, 0, 128 << 10, null);
            assertThat(c.simpleReply(2)).isEqualTo(EINVAL);
            stillServes(c);
            assertThat(disk.calls("pwrite")).isZero();
        }
    }

    @Test
    void oversizedWriteUnderExtendedHeadersIsEoverflow() throws Exception {
        fixture.start(ServerFixture.builder(disk).maxPayload(64 << 10));
        try (TestClient c = fixture.client()) {
            c.negotiateExtended();
            c.request(0, Command.WRITE, 1, 0, 128 << 10, new byte[128 << 10]);
            assertThat(c.replyError(1)).isEqualTo(EOVERFLOW);
            c.request(CommandFlags.PAYLOAD_LEN, Command.BLOCK_STATUS, 2, 0, 16, new byte[16]);
            assertThat(c.replyError(2)).isEqualTo(EINVAL);
            c.request(0, Command.FLUSH, 3, 0, 0, null);
            assertThat(c.replyError(3)).isZero();
        }
    }

    @Test
    void absurdWriteLengthClosesTheConnection() throws Exception {
        try (TestClient c = simple()) {
            c.request(0, Command.WRITE, 1, 0, 0xffff_ffffL, null);
            assertThat(c.serverClosed()).isTrue();
        }
    }

    @Test
    void badMagicClosesOnlyThatConnectionAndOthersAreStillServed() throws Exception {
        fixture.start(ServerFixture.builder(disk));
        try (TestClient good = fixture.client(); TestClient bad = fixture.client()) {
            good.negotiateSimple();
            bad.negotiateSimple();
            bad.write(ByteBuffer.allocate(28).putInt(0, 0xdeadbeef));
            assertThat(bad.serverClosed()).isTrue();
            stillServes(good);
        }
        try (TestClient third = fixture.client()) {
            third.negotiateSimple();
            stillServes(third);
        }
    }

    @Test
    void truncatedHeaderClosesTheConnectionAndReleasesTheExport() throws Exception {
        try (TestClient c = simple()) {
            c.write(ByteBuffer.allocate(10).putInt(Magic.REQUEST).flip());
            c.close();
            c.awaitServerSide();
            assertThat(disk.calls("close")).isEqualTo(1);
        }
    }
}
