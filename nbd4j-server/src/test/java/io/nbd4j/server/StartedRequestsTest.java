package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.ReplyType;
import io.nbd4j.server.TestClient.Chunk;
import io.nbd4j.spi.Completion;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.nbd4j.server.TransmissionTest.filled;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads and writes a plugin completes on a thread of its own ({@link Handle#startPread},
 * {@link Handle#startPwrite}): the reply goes out when the plugin says the request is over, in the
 * order requests end, with the plugin's error; a plugin that declines is called the usual way.
 */
class StartedRequestsTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    final StartingDisk disk = new StartingDisk(1 << 20);

    /** A request the plugin has begun and the test ends, as another server's reply would. */
    record Started(String call, ByteBuffer buffer, long offset, int flags, Completion done) {
        /** Does the work on the test's thread and tells the server. */
        void succeed(byte[] data) {
            if (call.equals("read")) {
                buffer.duplicate().put(data, (int) offset, buffer.remaining());
            } else {
                buffer.duplicate().get(data, (int) offset, buffer.remaining());
            }
            done.complete(null);
        }
    }

    /** A RAM disk whose handles start reads and writes, leaving them to the test, unless told to decline. */
    static final class StartingDisk extends RamDisk {
        final BlockingQueue<Started> started = new LinkedBlockingQueue<>();
        volatile boolean decline;

        StartingDisk(int size) {
            super(size);
        }

        @Override
        public Handle open(OpenRequest request) throws IOException {
            count("open");
            return new DiskHandle() {
                @Override
                public boolean startPread(ByteBuffer buffer, long offset, int flags, Completion done) {
                    return begin("read", buffer, offset, flags, done);
                }

                @Override
                public boolean startPwrite(ByteBuffer buffer, long offset, int flags, Completion done) {
                    return begin("write", buffer, offset, flags, done);
                }
            };
        }

        /** The next request the server began, waiting for it a while (the server's reader runs on). */
        Started next() throws InterruptedException {
            Started request = started.poll(30, TimeUnit.SECONDS);
            assertThat(request).as("a request the server began").isNotNull();
            return request;
        }

        private boolean begin(String call, ByteBuffer buffer, long offset, int flags, Completion done) {
            count("start " + call);
            if (decline) {
                return false;
            }
            started.add(new Started(call, buffer, offset, flags, done));
            return true;
        }
    }

    @Test
    void startedReadsAreAnsweredWhenThePluginEndsThemInTheOrderTheyEnd() throws Exception {
        System.arraycopy(filled(4096, 'a'), 0, disk.data, 0, 4096);
        System.arraycopy(filled(4096, 'b'), 0, disk.data, 4096, 4096);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 4096, null);
            c.request(0, Command.READ, 2, 4096, 4096, null);
            Started first = disk.next();
            Started second = disk.next();
            second.succeed(disk.data);
            assertThat(c.simpleReply(2)).isZero();
            assertThat(c.read(4096).array()).isEqualTo(filled(4096, 'b'));
            first.succeed(disk.data);
            assertThat(c.simpleReply(1)).isZero();
            assertThat(c.read(4096).array()).isEqualTo(filled(4096, 'a'));
        }
        assertThat(disk.calls("pread")).isZero();
    }

    @Test
    void startedWriteGetsTheDataAndTheFuaFlagAndIsAnsweredWhenItEnds() throws Exception {
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateStructured();
            c.request(CommandFlags.FUA, Command.WRITE, 3, 8192, 4096, filled(4096, 'w'));
            Started write = disk.next();
            assertThat(write.call()).isEqualTo("write");
            assertThat(write.flags()).isEqualTo(io.nbd4j.spi.Flags.FUA);
            write.succeed(disk.data);
            assertThat(c.replyError(3)).isZero();
        }
        assertThat(Arrays.copyOfRange(disk.data, 8192, 12288)).isEqualTo(filled(4096, 'w'));
        assertThat(disk.calls("pwrite")).isZero();
    }

    @Test
    void aFailureThePluginReportsIsTheClientsErrorAndTheConnectionGoesOn() throws Exception {
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateStructured();
            c.request(0, Command.READ, 4, 0, 512, null);
            disk.next().done().complete(new NbdException(NbdError.ENOSPC, "upstream full"));
            Chunk error = c.chunk();
            assertThat(error.type()).isEqualTo(ReplyType.ERROR);
            assertThat(error.buffer().getInt()).isEqualTo(NbdError.ENOSPC.wireValue());
            c.request(0, Command.WRITE, 5, 0, 512, filled(512, 'x'));
            disk.next().done().complete(new IOException("upstream gone"));
            assertThat(c.replyError(5)).isEqualTo(NbdError.EIO.wireValue());
            c.request(0, Command.READ, 6, 0, 512, null);
            disk.next().succeed(disk.data);
            assertThat(c.chunk().type()).isEqualTo(ReplyType.OFFSET_DATA);
        }
    }

    @Test
    void aRequestStillUnderWayWhenTheClientDisconnectsIsAnsweredBeforeTheServerCloses() throws Exception {
        System.arraycopy(filled(512, 'd'), 0, disk.data, 0, 512);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateSimple();
            c.request(0, Command.READ, 7, 0, 512, null);
            c.disconnect();
            disk.next().succeed(disk.data);
            assertThat(c.simpleReply(7)).isZero();
            assertThat(c.read(512).array()).isEqualTo(filled(512, 'd'));
            assertThat(c.drain()).isZero();
        }
    }

    @Test
    void aPluginThatDeclinesIsCalledTheUsualWayAndNotAskedAgainOnThatConnection() throws Exception {
        disk.decline = true;
        System.arraycopy(filled(512, 'p'), 0, disk.data, 0, 512);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateSimple();
            for (int cookie = 1; cookie <= 3; cookie++) {
                c.request(0, Command.READ, cookie, 0, 512, null);
                assertThat(c.simpleReply(cookie)).isZero();
                assertThat(c.read(512).array()).isEqualTo(filled(512, 'p'));
            }
        }
        assertThat(disk.calls("start read")).isEqualTo(1);
        assertThat(disk.calls("pread")).isEqualTo(3);
    }

    @Test
    void underAFilterOrWithSerializedRequestsThePluginIsNeverAskedToStartOne() throws Exception {
        Filter passThrough = new RecordingFilter("pass-through", new CopyOnWriteArrayList<>());
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, passThrough))) {
            c.negotiateSimple();
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isZero();
            c.read(512);
        }
        disk.threadModel = ThreadModel.SERIALIZE_REQUESTS;
        try (TestClient c = fixture.connect(ServerFixture.builder(disk))) {
            c.negotiateSimple();
            c.request(0, Command.WRITE, 2, 0, 512, filled(512, 's'));
            assertThat(c.simpleReply(2)).isZero();
        }
        assertThat(disk.calls("start read") + disk.calls("start write")).isZero();
        assertThat(disk.calls("pread")).isEqualTo(1);
        assertThat(disk.calls("pwrite")).isEqualTo(1);
    }
}
