package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ReplyType;
import io.nbd4j.protocol.TransmissionFlags;
import io.nbd4j.server.TestClient.Chunk;
import io.nbd4j.spi.CacheMode;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransmissionTest {
    static final int EINVAL = 22;
    final RamDisk disk = new RamDisk(1 << 20);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    TestClient connect(NbdServer.Builder builder) throws Exception {
        return fixture.connect(builder);
    }

    TestClient connect() throws Exception {
        return connect(ServerFixture.builder(disk));
    }

    static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void simpleRepliesCarryWrittenDataBack() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.WRITE, 1, 8192, 4096, filled(4096, 'a'));
            assertThat(c.simpleReply(1)).isZero();
            c.request(0, Command.READ, 2, 8192, 4096, null);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(c.read(4096).array()).isEqualTo(filled(4096, 'a'));
        }
    }

    @Test
    void readOfAParallelLayerOfferingAViewIsSentFromItWithoutPread() throws Exception {
        disk.offerViews = true;
        System.arraycopy(filled(4096, 'v'), 0, disk.data, 12288, 4096);
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 12288, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
            assertThat(c.read(4096).array()).isEqualTo(filled(4096, 'v'));
        }
        assertThat(disk.calls("readView")).isEqualTo(1);
        assertThat(disk.calls("pread")).isZero();
    }

    @Test
    void serializingLayerIsNeverAskedForAView() throws Exception {
        disk.offerViews = true;
        disk.threadModel = ThreadModel.SERIALIZE_REQUESTS;
        System.arraycopy(filled(4096, 's'), 0, disk.data, 0, 4096);
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
            assertThat(c.read(4096).array()).isEqualTo(filled(4096, 's'));
        }
        assertThat(disk.calls("readView")).isZero();
        assertThat(disk.calls("pread")).isEqualTo(1);
    }

    @Test
    void smallStructuredReadIsOneFinalDataChunk() throws Exception {
        System.arraycopy(filled(100, 'b'), 0, disk.data, 600, 100);
        try (TestClient c = connect()) {
            c.negotiateStructured();
            c.request(0, Command.READ, 3, 512, 1024, null);
            Chunk chunk = c.chunk();
            assertThat(chunk.flags()).isEqualTo(ReplyType.FLAG_DONE);
            assertThat(chunk.type()).isEqualTo(ReplyType.OFFSET_DATA);
            assertThat(chunk.cookie()).isEqualTo(3);
            ByteBuffer payload = chunk.buffer();
            assertThat(payload.getLong()).isEqualTo(512);
            byte[] data = new byte[1024];
            payload.get(data);
            assertThat(Arrays.copyOfRange(data, 88, 188)).isEqualTo(filled(100, 'b'));
        }
    }

    @Test
    void largeStructuredReadSendsHoleChunksForZeroRangesAndReadsOnlyTheData() throws Exception {
        System.arraycopy(filled(4096, 'c'), 0, disk.data, 65536, 4096);
        try (TestClient c = connect()) {
            c.negotiateStructured();
            int readsBefore = disk.calls("pread");
            c.request(0, Command.READ, 4, 0, 262144, null);
            List<Chunk> chunks = c.chunks();
            List<String> shape = new ArrayList<>();
            for (Chunk chunk : chunks) {
                ByteBuffer p = chunk.buffer();
                long offset = p.getLong();
                shape.add(switch (chunk.type()) {
                    case ReplyType.OFFSET_HOLE -> "hole " + offset + "+" + p.getInt();
                    case ReplyType.OFFSET_DATA -> "data " + offset + "+" + p.remaining();
                    default -> "type " + chunk.type();
                });
            }
            assertThat(shape).containsExactly("hole 0+65536", "data 65536+4096", "hole 69632+192512");
            assertThat(chunks.getLast().flags()).isEqualTo(ReplyType.FLAG_DONE);
            assertThat(disk.calls("pread") - readsBefore).isEqualTo(1);
        }
    }

    @Test
    void largeReadThroughAFilterReachesItsPreadEvenOverHoles() throws Exception {
        System.arraycopy(filled(4096, 'f'), 0, disk.data, 65536, 4096);
        List<Long> filterReads = new ArrayList<>();
        Filter readRecorder = new Filter() {
            @Override
            public String name() {
                return "read-recorder";
            }

            @Override
            public String description() {
                return "records the reads it sees";
            }

            @Override
            public Handle open(OpenRequest request, NextOpener below) throws IOException {
                return new FilterHandle(below.open(request)) {
                    @Override
                    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                        filterReads.add(offset);
                        super.pread(buffer, offset, flags);
                    }
                };
            }
        };
        try (TestClient c = connect(ServerFixture.builder(disk, readRecorder))) {
            c.negotiateStructured();
            c.request(0, Command.READ, 4, 0, 262144, null);
            Chunk chunk = c.chunk();
            assertThat(chunk.type()).isEqualTo(ReplyType.OFFSET_DATA);
            assertThat(chunk.flags()).isEqualTo(ReplyType.FLAG_DONE);
            ByteBuffer p = chunk.buffer();
            assertThat(p.getLong()).isZero();
            byte[] data = new byte[p.remaining()];
            p.get(data);
            assertThat(Arrays.copyOfRange(data, 65536, 69632)).isEqualTo(filled(4096, 'f'));
        }
        assertThat(filterReads).containsExactly(0L);
    }

    @Test
    void dontFragmentReadIsOneDataChunkEvenOverHoles() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateStructured();
            c.request(CommandFlags.DF, Command.READ, 5, 0, 131072, null);
            Chunk chunk = c.chunk();
            assertThat(chunk.type()).isEqualTo(ReplyType.OFFSET_DATA);
            assertThat(chunk.flags()).isEqualTo(ReplyType.FLAG_DONE);
            assertThat(chunk.payload()).hasSize(8 + 131072);
        }
    }

    @Test
    void readFailureIsAnErrorChunkCarryingTheMessage() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateStructured();
            disk.failNextRead = new NbdException(NbdError.EIO, "media error");
            c.request(0, Command.READ, 6, 0, 512, null);
            Chunk chunk = c.chunk();
            assertThat(chunk.type()).isEqualTo(ReplyType.ERROR);
            ByteBuffer p = chunk.buffer();
            assertThat(p.getInt()).isEqualTo(5);
            byte[] message = new byte[p.getShort()];
            p.get(message);
            assertThat(new String(message, StandardCharsets.UTF_8)).isEqualTo("media error");
            c.request(0, Command.READ, 7, 0, 512, null);
            assertThat(c.chunk().type()).isEqualTo(ReplyType.OFFSET_DATA);
        }
    }

    @Test
    void layerErrorsOnlyKeepEnotsupAndEoverflowWhenTheClientAskedForThem() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateSimple();
            disk.failNextRead = new NbdException(NbdError.ENOTSUP, "nope");
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isEqualTo(EINVAL);
            disk.failNextRead = new NbdException(NbdError.ENOSPC, "full");
            c.request(0, Command.READ, 2, 0, 512, null);
            assertThat(c.simpleReply(2)).isEqualTo(28);
            disk.failNextRead = new java.io.IOException("disk fell off");
            c.request(0, Command.READ, 3, 0, 512, null);
            assertThat(c.simpleReply(3)).isEqualTo(5);
        }
        fixture.stop();
        try (TestClient c = connect()) {
            c.negotiateStructured();
            disk.failNextRead = new NbdException(NbdError.EOVERFLOW, "too big");
            c.request(CommandFlags.DF, Command.READ, 4, 0, 512, null);
            assertThat(c.chunk().errorValue()).isEqualTo(75);
            disk.failNextRead = new NbdException(NbdError.EOVERFLOW, "too big");
            c.request(0, Command.READ, 5, 0, 512, null);
            assertThat(c.chunk().errorValue()).isEqualTo(EINVAL);
        }
    }

    @Test
    void blockStatusMergesNeighboursAndLetsOnlyTheLastExtentRunPastTheRequestAsFarAsThePluginSaid() throws Exception {
        System.arraycopy(filled(8192, 'd'), 0, disk.data, 4096, 8192);
        try (TestClient c = connect()) {
            c.negotiateStructured();
            c.request(0, Command.BLOCK_STATUS, 8, 1000, 20000, null);
            Chunk chunk = c.chunk();
            assertThat(chunk.type()).isEqualTo(ReplyType.BLOCK_STATUS);
            assertThat(chunk.flags()).isEqualTo(ReplyType.FLAG_DONE);
            // The disk reports whole pages, so its last hole ends at 24576, past the request's end at 21000.
            assertThat(descriptors(chunk, false)).containsExactly(3096L, 3L, 8192L, 0L, 12288L, 3L);
            c.request(CommandFlags.REQ_ONE, Command.BLOCK_STATUS, 9, 1000, 20000, null);
            assertThat(descriptors(c.chunk(), false)).containsExactly(3096L, 3L);
        }
    }

    static List<Long> descriptors(Chunk chunk, boolean extended) {
        ByteBuffer p = chunk.buffer();
        assertThat(p.getInt()).isNotZero();
        List<Long> values = new ArrayList<>();
        if (extended) {
            int count = p.getInt();
            assertThat(p.remaining()).isEqualTo(16 * count);
            while (p.hasRemaining()) {
                values.add(p.getLong());
            }
        } else {
            while (p.hasRemaining()) {
                values.add(Integer.toUnsignedLong(p.getInt()));
            }
        }
        return values;
    }

    @Test
    void extendedHeadersCarry64BitLengthsTheRequestOffsetAndBlockStatusExt() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateExtended();
            c.request(CommandFlags.PAYLOAD_LEN, Command.WRITE, 10, 4096, 4096, filled(4096, 'e'));
            Chunk ok = c.chunk();
            assertThat(ok.type()).isEqualTo(ReplyType.NONE);
            assertThat(ok.offset()).isEqualTo(4096);
            c.request(0, Command.READ, 11, 4096, 4096, null);
            Chunk data = c.chunk();
            assertThat(data.offset()).isEqualTo(4096);
            assertThat(Arrays.copyOfRange(data.payload(), 8, 8 + 4096)).isEqualTo(filled(4096, 'e'));
            c.request(0, Command.BLOCK_STATUS, 12, 0, 1 << 20, null);
            Chunk status = c.chunk();
            assertThat(status.type()).isEqualTo(ReplyType.BLOCK_STATUS_EXT);
            assertThat(descriptors(status, true)).containsExactly(4096L, 3L, 4096L, 0L, (1L << 20) - 8192, 3L);
            c.request(0, Command.WRITE_ZEROES, 13, 0, 1 << 20, null);
            assertThat(c.replyError(13)).isZero();
            assertThat(disk.data).containsOnly(0);
            c.request(0, Command.READ, 14, 0, 0, null);
            Chunk error = c.chunk();
            assertThat(error.type()).isEqualTo(ReplyType.ERROR);
            assertThat(error.errorValue()).isEqualTo(EINVAL);
        }
    }

    @Test
    void emulatedFuaWritesWithoutTheFlagThenFlushesWhileNativeFuaPassesTheFlag() throws Exception {
        disk.fua = FuaMode.EMULATE;
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(CommandFlags.FUA, Command.WRITE, 1, 0, 512, filled(512, 'f'));
            assertThat(c.simpleReply(1)).isZero();
            assertThat(disk.writeFlags).containsExactly(0);
            assertThat(disk.calls("flush")).isEqualTo(1);
        }
        fixture.stop();
        disk.fua = FuaMode.NATIVE;
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(CommandFlags.FUA, Command.WRITE, 2, 0, 512, filled(512, 'f'));
            assertThat(c.simpleReply(2)).isZero();
            assertThat(disk.writeFlags).containsExactly(0, Flags.FUA);
            assertThat(disk.calls("flush")).isEqualTo(1);
        }
    }

    @Test
    void writeZeroesPassesMayTrimUnlessNoHole() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
            c.request(CommandFlags.NO_HOLE, Command.WRITE_ZEROES, 2, 0, 4096, null);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(disk.zeroFlags).containsExactly(Flags.MAY_TRIM, 0);
        }
    }

    @Test
    void writeZeroesWithoutPluginZeroWritesZeroesAndFastZeroFailsWithEnotsup() throws Exception {
        disk.canZero = false;
        Arrays.fill(disk.data, (byte) 1);
        try (TestClient c = connect()) {
            TestClient.Export export = c.negotiateSimple();
            assertThat(export.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();
            assertThat(export.has(TransmissionFlags.SEND_FAST_ZERO)).isTrue();
            c.request(CommandFlags.FAST_ZERO, Command.WRITE_ZEROES, 1, 0, 8192, null);
            assertThat(c.simpleReply(1)).isEqualTo(95);
            assertThat(disk.data[0]).isEqualTo((byte) 1);
            c.request(0, Command.WRITE_ZEROES, 2, 0, 3 << 20 >> 2, null);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(Arrays.copyOfRange(disk.data, 0, 3 << 20 >> 2)).containsOnly(0);
            assertThat(disk.data[3 << 20 >> 2]).isEqualTo((byte) 1);
            assertThat(disk.calls("zero")).isZero();
        }
    }

    @Test
    void zeroRefusedWithEnotsupFallsBackToWritingUnlessFast() throws Exception {
        disk.zeroThrowsNotSupported = true;
        Arrays.fill(disk.data, (byte) 1);
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
            assertThat(Arrays.copyOfRange(disk.data, 0, 4096)).containsOnly(0);
            c.request(CommandFlags.FAST_ZERO, Command.WRITE_ZEROES, 2, 4096, 4096, null);
            assertThat(c.simpleReply(2)).isEqualTo(95);
            assertThat(disk.data[4096]).isEqualTo((byte) 1);
        }
    }

    @Test
    void emulatedCacheReadsTheRangeAndNativeCacheCallsThePlugin() throws Exception {
        disk.cache = CacheMode.EMULATE;
        try (TestClient c = connect()) {
            TestClient.Export export = c.negotiateSimple();
            assertThat(export.has(TransmissionFlags.SEND_CACHE)).isTrue();
            c.request(0, Command.CACHE, 1, 0, 3 << 18, null);
            assertThat(c.simpleReply(1)).isZero();
            assertThat(disk.calls("pread")).isEqualTo(1);
            assertThat(disk.calls("cache")).isZero();
        }
        fixture.stop();
        disk.cache = CacheMode.NATIVE;
        try (TestClient c = connect()) {
            c.negotiateSimple();
            c.request(0, Command.CACHE, 2, 0, 4096, null);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(disk.calls("cache")).isEqualTo(1);
        }
    }

    @Test
    void emulatedCacheReadsInNbdkitsLargestRequestSizeFromTheStartOfTheRange() throws Exception {
        long mib = 1 << 20;
        List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Plugin recording = new Plugin() {
            @Override public String name() { return "recording"; }
            @Override public String description() { return "records the reads it gets"; }

            @Override
            public Handle open(OpenRequest request) {
                return new Handle() {
                    @Override public long size() { return 200 * mib; }
                    @Override public CacheMode canCache() { return CacheMode.EMULATE; }

                    @Override
                    public void pread(ByteBuffer buffer, long offset, int flags) {
                        reads.add(buffer.remaining() / mib + "M@" + offset / mib + "M");
                    }
                };
            }
        };
        try (TestClient c = connect(ServerFixture.builder(recording))) {
            c.negotiateSimple();
            c.request(0, Command.CACHE, 1, mib, 130 * mib, null);
            assertThat(c.simpleReply(1)).isZero();
        }
        assertThat(reads).containsExactly("64M@1M", "64M@65M", "2M@129M");
    }

    @Test
    void readOnlyServerAdvertisesNoWritesAndNeverAsksThePluginWhetherItCanWrite() throws Exception {
        try (TestClient c = connect(ServerFixture.builder(disk).readOnly(true))) {
            TestClient.Export export = c.negotiateSimple();
            assertThat(export.has(TransmissionFlags.READ_ONLY)).isTrue();
            assertThat(export.flags() & (TransmissionFlags.SEND_TRIM | TransmissionFlags.SEND_WRITE_ZEROES
                    | TransmissionFlags.SEND_FUA | TransmissionFlags.SEND_FAST_ZERO)).isZero();
            assertThat(disk.calls("canWrite") + disk.calls("canTrim") + disk.calls("canZero") + disk.calls("canFua")).isZero();
            assertThat(disk.opens.getFirst().readOnly()).isTrue();
        }
    }

    @Test
    void multiConnIsNotAdvertisedWhenConnectionsAreSerialized() throws Exception {
        try (TestClient c = connect()) {
            assertThat(c.negotiateSimple().has(TransmissionFlags.CAN_MULTI_CONN)).isTrue();
        }
        fixture.stop();
        disk.threadModel = ThreadModel.SERIALIZE_CONNECTIONS;
        try (TestClient c = connect()) {
            assertThat(c.negotiateSimple().has(TransmissionFlags.CAN_MULTI_CONN)).isFalse();
        }
    }

    @Test
    void disconnectAnswersRunningRequestsThenFinishesAndClosesTheExport() throws Exception {
        try (TestClient c = connect()) {
            c.negotiateSimple();
            for (int i = 0; i < 8; i++) {
                c.request(0, Command.WRITE, i, i * 4096L, 4096, filled(4096, 'g'));
            }
            c.disconnect();
            for (int i = 0; i < 8; i++) {
                ByteBuffer reply = c.read(16);
                assertThat(reply.getInt(4)).isZero();
            }
            assertThat(c.serverClosed()).isTrue();
            c.awaitServerSide();
            assertThat(disk.calls("finish")).isEqualTo(1);
            assertThat(disk.calls("close")).isEqualTo(1);
            assertThat(Arrays.copyOfRange(disk.data, 0, 8 * 4096)).containsOnly((byte) 'g');
        }
    }
}
