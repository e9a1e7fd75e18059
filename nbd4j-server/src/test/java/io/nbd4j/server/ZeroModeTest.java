package io.nbd4j.server;

import io.nbd4j.protocol.Command;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.protocol.TransmissionFlags;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ZeroMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The three answers of {@link Handle#zeroMode()}: what is advertised, and what reaches which layer. */
class ZeroModeTest {
    static final int EINVAL = 22;
    static final int ENOTSUP = 95;
    final RamDisk disk = new RamDisk(1 << 20);
    @RegisterExtension
    final ServerFixture fixture = new ServerFixture();

    /** A filter answering {@code mode} (null: the default derivation) that records the writes and zeroes it sees. */
    static final class ZeroModeFilter implements Filter {
        final ZeroMode mode;
        final List<String> seen = new CopyOnWriteArrayList<>();
        volatile Boolean canZero;

        ZeroModeFilter(ZeroMode mode) {
            this.mode = mode;
        }

        @Override public String name() { return "zero-mode"; }
        @Override public String description() { return "answers a chosen zero mode"; }

        @Override
        public Handle open(OpenRequest request, NextOpener below) throws IOException {
            return new FilterHandle(below.open(request)) {
                @Override
                public boolean canZero() throws IOException {
                    return canZero != null ? canZero : super.canZero();
                }

                @Override
                public ZeroMode zeroMode() throws IOException {
                    return mode != null ? mode : super.zeroMode();
                }

                @Override
                public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
                    seen.add("pwrite " + offset + "+" + buffer.remaining());
                    super.pwrite(buffer, offset, flags);
                }

                @Override
                public void zero(long length, long offset, int flags) throws IOException {
                    seen.add("zero " + offset + "+" + length);
                    super.zero(length, offset, flags);
                }
            };
        }
    }

    private TestClient.Export negotiate(TestClient c) throws IOException {
        return c.negotiateSimple();
    }

    @Test
    void noneHidesWriteZeroesAndFastZeroAndRefusesTheCommand() throws Exception {
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, new ZeroModeFilter(ZeroMode.NONE)))) {
            TestClient.Export export = negotiate(c);
            assertThat(export.has(TransmissionFlags.SEND_WRITE_ZEROES)).isFalse();
            assertThat(export.has(TransmissionFlags.SEND_FAST_ZERO)).isFalse();
            c.request(0, Command.WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).isEqualTo(EINVAL);
        }
        assertThat(disk.calls("zero")).isZero();
        assertThat(disk.calls("canFastZero")).as("fast zero is not asked when zero is hidden").isZero();
    }

    @Test
    void aPassThroughFilterAboveKeepsWriteZeroesHidden() throws Exception {
        ZeroModeFilter passThrough = new ZeroModeFilter(null);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, passThrough, new ZeroModeFilter(ZeroMode.NONE)))) {
            assertThat(negotiate(c).has(TransmissionFlags.SEND_WRITE_ZEROES)).isFalse();
        }
    }

    @Test
    void aFilterThatZeroesItselfAboveAHiddenLayerIsNative() throws Exception {
        ZeroModeFilter own = new ZeroModeFilter(null);
        own.canZero = true;
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, own, new ZeroModeFilter(ZeroMode.NONE)))) {
            TestClient.Export export = negotiate(c);
            assertThat(export.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();
            c.request(0, Command.WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).as("the layer below hides zero, so passing it down is refused").isEqualTo(EINVAL);
        }
        assertThat(own.seen).containsExactly("zero 0+4096");
    }

    @Test
    void emulateAtAFilterWritesZeroesThroughItsPwriteAndNeverCallsZero() throws Exception {
        Arrays.fill(disk.data, (byte) 1);
        ZeroModeFilter filter = new ZeroModeFilter(ZeroMode.EMULATE);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, filter))) {
            TestClient.Export export = negotiate(c);
            assertThat(export.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();
            c.request(0, Command.WRITE_ZEROES, 1, 8192, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
            c.request(CommandFlags.FAST_ZERO, Command.WRITE_ZEROES, 2, 0, 4096, null);
            assertThat(c.simpleReply(2)).isEqualTo(ENOTSUP);
        }
        assertThat(filter.seen).containsExactly("pwrite 8192+4096");
        assertThat(disk.calls("zero")).isZero();
        assertThat(Arrays.copyOfRange(disk.data, 8192, 12288)).containsOnly(0);
        assertThat(disk.data[0]).isEqualTo((byte) 1);
    }

    @Test
    void aPluginThatCannotZeroIsEmulatedAndOneThatCanIsNative() throws Exception {
        ZeroModeFilter probe = new ZeroModeFilter(null);
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, probe))) {
            negotiate(c);
            c.request(0, Command.WRITE_ZEROES, 1, 0, 4096, null);
            assertThat(c.simpleReply(1)).isZero();
        }
        assertThat(disk.calls("zero")).isEqualTo(1);
        disk.canZero = false;
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, probe))) {
            assertThat(negotiate(c).has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();
            c.request(0, Command.WRITE_ZEROES, 2, 0, 4096, null);
            assertThat(c.simpleReply(2)).isZero();
        }
        assertThat(disk.calls("zero")).isEqualTo(1);
        assertThat(probe.seen).as("a pass-through filter inherits the emulation, so the zeroes are written through it")
                .containsExactly("zero 0+4096", "pwrite 0+4096");
    }

    @Test
    void readOnlyExportHasNoWriteZeroesWhateverTheFilterSays() throws Exception {
        try (TestClient c = fixture.connect(ServerFixture.builder(disk, new ZeroModeFilter(ZeroMode.NATIVE)).readOnly(true))) {
            TestClient.Export export = negotiate(c);
            assertThat(export.has(TransmissionFlags.SEND_WRITE_ZEROES)).isFalse();
            assertThat(export.has(TransmissionFlags.SEND_FAST_ZERO)).isFalse();
        }
    }
}
