package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Next;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A filter may replace the layers below it during a connection, and the server owns what it opened. */
@Timeout(60)
class ReopenBelowTest {
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();
    final List<String> log = new CopyOnWriteArrayList<>();

    /** Each open is a new generation; the first generation's reads fail. */
    final RamDisk disk = new RamDisk(1 << 20) {
        @Override
        public Handle open(OpenRequest request) throws IOException {
            super.open(request);
            int generation = opens.size();
            log.add("open " + generation + (request.readOnly() ? " read-only" : ""));
            return new DiskHandle() {
                @Override public void prepare(boolean readOnly) { log.add("prepare " + generation); }
                @Override public void finish() { log.add("finish " + generation); }
                @Override public void close() { log.add("close " + generation); }

                @Override
                public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                    if (generation == 1) {
                        throw new NbdException(NbdError.EIO, "the first connection to the disk broke");
                    }
                    super.pread(buffer, offset, flags);
                }
            };
        }
    };

    /** Reopens the layers below after a failed read, then reads again; keeps what it saw. */
    static final class ReopeningFilter implements Filter {
        final boolean readOnlyAfterFailure;
        volatile NextOpener opener;
        volatile OpenRequest request;
        volatile Next first;
        volatile Next current;

        ReopeningFilter(boolean readOnlyAfterFailure) {
            this.readOnlyAfterFailure = readOnlyAfterFailure;
        }

        @Override public String name() { return "reopening"; }
        @Override public String description() { return "reopens below after a failed read"; }
        @Override public ThreadModel threadModel() { return ThreadModel.SERIALIZE_REQUESTS; }

        @Override
        public Handle open(OpenRequest request, NextOpener below) throws IOException {
            this.opener = below;
            this.request = request;
            first = below.open(request);
            current = first;
            return new Handle() {
                @Override public long size() throws IOException { return current.size(); }
                @Override public boolean canWrite() throws IOException { return current.canWrite(); }

                @Override
                public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
                    try {
                        current.pread(buffer.duplicate(), offset, flags);
                    } catch (NbdException e) {
                        current = below.reopen(readOnlyAfterFailure ? request.readOnlyBelow() : request);
                        current.pread(buffer, offset, flags);
                    }
                }
            };
        }
    }

    private static void readSucceeds(TestClient c) throws IOException {
        c.request(0, Command.READ, 1, 0, 512, null);
        assertThat(c.simpleReply(1)).isZero();
        c.read(512);
    }

    @Test
    void aFilterReopeningAfterAFailedReadGetsFreshLayersThatTheServerEndsWithTheConnection() throws Exception {
        ReopeningFilter filter = new ReopeningFilter(false);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            c.negotiateSimple();
            readSucceeds(c);
            assertThat(log).containsExactly("open 1", "prepare 1", "finish 1", "close 1", "open 2", "prepare 2");
            c.disconnect();
            c.awaitServerSide();
        }

        assertThat(log).endsWith("finish 2", "close 2");
        assertThat(log).containsOnlyOnce("finish 2", "close 2");
    }

    @Test
    void theNextThatWasReplacedFailsEveryCallWithEshutdown() throws Exception {
        ReopeningFilter filter = new ReopeningFilter(false);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            c.negotiateSimple();
            readSucceeds(c);

            assertThat(filter.current).isNotSameAs(filter.first);
            assertThatThrownBy(() -> filter.first.pread(ByteBuffer.allocate(512), 0, 0))
                    .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ESHUTDOWN));
            assertThat(filter.current.size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void layersReopenedReadOnlyRefuseWritesWhateverThePluginSays() throws Exception {
        ReopeningFilter filter = new ReopeningFilter(true);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            c.negotiateSimple();
            assertThat(filter.first.canWrite()).isTrue();
            readSucceeds(c);

            assertThat(log).contains("open 2 read-only");
            assertThat(filter.current.canWrite()).isFalse();
        }
    }

    @Test
    void aFilterMayOpenBelowAgainAfterAFailedOpenAndWhatTheFailedAttemptOpenedIsClosed() throws Exception {
        Filter failsOnceAfterOpeningBelow = new Filter() {
            volatile boolean failed;
            @Override public String name() { return "fails-once"; }
            @Override public String description() { return "opens below, then fails the first time"; }

            @Override
            public Handle open(OpenRequest request, NextOpener below) throws IOException {
                Handle handle = Filter.super.open(request, below);
                if (!failed) {
                    failed = true;
                    throw new NbdException(NbdError.EIO, "broken the first time");
                }
                return handle;
            }
        };
        Filter opensTwice = new Filter() {
            @Override public String name() { return "opens-twice"; }
            @Override public String description() { return "tries open a second time"; }

            @Override
            public Handle open(OpenRequest request, NextOpener below) throws IOException {
                try {
                    return new FilterHandle(below.open(request));
                } catch (NbdException e) {
                    return new FilterHandle(below.open(request));
                }
            }
        };
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, opensTwice, failsOnceAfterOpeningBelow))) {
            c.negotiateSimple();
            assertThat(log).containsExactly("open 1", "close 1", "open 2", "prepare 2");
            c.request(0, Command.READ, 1, 0, 512, null);
            assertThat(c.simpleReply(1)).isZero();
            c.read(512);
        }
    }

    @Test
    void aReopenAfterTheConnectionEndedIsRefused() throws Exception {
        ReopeningFilter filter = new ReopeningFilter(false);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            c.negotiateSimple();
            c.disconnect();
            c.awaitServerSide();
        }

        assertThatThrownBy(() -> filter.opener.reopen(filter.request))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.ESHUTDOWN));
        assertThat(log).containsExactly("open 1", "prepare 1", "finish 1", "close 1");
    }
}
