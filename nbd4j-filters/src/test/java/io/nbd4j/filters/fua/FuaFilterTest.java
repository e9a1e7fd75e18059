package io.nbd4j.filters.fua;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.RecordingHandle;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedNext;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Flags;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FuaFilterTest {
    private RecordingHandle plugin;

    private FuaHandle open(String mode, boolean canFlush, FuaMode below) throws IOException, ConfigException {
        FuaFilter filter = new FuaFilter();
        if (mode != null) {
            filter.config("fuamode", mode);
        }
        plugin = new RecordingHandle(canFlush, below);
        FuaHandle h = (FuaHandle) filter.open(null, r -> new ServedNext(plugin, null));
        h.prepare(false);
        return h;
    }

    /**
     * A client's FUA write, plain write, FUA zero, FUA trim and flush, through the server and the filter,
     * as the plugin receives them.
     */
    private static List<String> traffic(String mode, FuaMode below) throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fua(below);
        try (ServedStack served = ServedStack.of(disk, new FuaFilter()).config("fuamode=" + mode).start();
             NbdClient client = served.connect()) {
            client.pwrite(ByteBuffer.allocate(512), 0, CommandFlags.FUA);
            client.pwrite(ByteBuffer.allocate(512), 512, 0);
            client.zero(4096, 8192, CommandFlags.FUA);
            client.trim(4096, 4096, CommandFlags.FUA);
            client.flush();
        }
        return disk.calls();
    }

    @Test
    void defaultHidesFuaAndPassesFlush() throws Exception {
        FuaHandle h = open(null, true, FuaMode.NATIVE);
        assertThat(h.canFua()).isEqualTo(FuaMode.NONE);
        assertThat(h.canFlush()).isTrue();
        h.flush(0);
        assertThat(plugin.calls()).containsExactly("flush");
    }

    @ParameterizedTest
    @CsvSource({"none, NONE, true", "emulate, EMULATE, true", "native, NATIVE, true", "force, NATIVE, true",
            "pass, EMULATE, true", "discard, NATIVE, true"})
    void eachModeAdvertisesItsFuaAndFlush(String mode, FuaMode advertised, boolean flush) throws Exception {
        FuaHandle h = open(mode, true, FuaMode.EMULATE);
        assertThat(h.canFua()).isEqualTo(advertised);
        assertThat(h.canFlush()).isEqualTo(flush);
    }

    @Test
    void forceAndDiscardAdvertiseFlushEvenWhenThePluginCannot() throws Exception {
        assertThat(open("discard", false, FuaMode.NONE).canFlush()).isTrue();
        assertThat(open("pass", false, FuaMode.NONE).canFlush()).isFalse();
    }

    @Test
    void emulateStripsFuaAndFlushesAfterTheOperation() throws Exception {
        assertThat(traffic("emulate", FuaMode.NATIVE)).containsExactly(
                "pwrite 0+512", "flush", "pwrite 512+512", "zero 8192+4096 may_trim", "flush", "trim 4096+4096", "flush", "flush");
    }

    @Test
    void nativePassesFuaDown() throws Exception {
        assertThat(traffic("native", FuaMode.NATIVE)).containsExactly(
                "pwrite 0+512 fua", "pwrite 512+512", "zero 8192+4096 fua may_trim", "trim 4096+4096 fua", "flush");
    }

    @Test
    void nativeOverAnEmulatingPluginFlushesAfterTheOperation() throws Exception {
        assertThat(traffic("native", FuaMode.EMULATE)).containsExactly(
                "pwrite 0+512", "flush", "pwrite 512+512", "zero 8192+4096 may_trim", "flush", "trim 4096+4096", "flush", "flush");
    }

    @Test
    void forceMakesEveryWriteFuaAndFlushANoOp() throws Exception {
        assertThat(traffic("force", FuaMode.NATIVE)).containsExactly(
                "pwrite 0+512 fua", "pwrite 512+512 fua", "zero 8192+4096 fua may_trim", "trim 4096+4096 fua");
    }

    @Test
    void passChangesNothing() throws Exception {
        assertThat(traffic("pass", FuaMode.NATIVE)).containsExactly(
                "pwrite 0+512 fua", "pwrite 512+512", "zero 8192+4096 fua may_trim", "trim 4096+4096 fua", "flush");
    }

    @Test
    void discardDropsFuaAndFlush() throws Exception {
        assertThat(traffic("discard", FuaMode.NATIVE)).containsExactly(
                "pwrite 0+512", "pwrite 512+512", "zero 8192+4096 may_trim", "trim 4096+4096");
    }

    @Test
    void emulateRefusesAPluginThatCannotFlush() {
        assertThatThrownBy(() -> open("emulate", false, FuaMode.NONE))
                .isInstanceOf(NbdException.class).hasMessageContaining("fuamode=emulate");
    }

    @Test
    void nativeAndForceRefuseAPluginWithoutFua() {
        assertThatThrownBy(() -> open("native", true, FuaMode.NONE))
                .isInstanceOf(NbdException.class).hasMessageContaining("fuamode=native");
        assertThatThrownBy(() -> open("force", true, FuaMode.NONE))
                .isInstanceOf(NbdException.class).hasMessageContaining("fuamode=force");
    }

    @Test
    void readOnlyConnectionsSkipTheChecks() throws Exception {
        FuaFilter filter = new FuaFilter();
        filter.config("fuamode", "emulate");
        FuaHandle h = (FuaHandle) filter.open(null, r -> new ServedNext(new RecordingHandle(false, FuaMode.NONE), null));
        h.prepare(true);
        assertThat(h.canFua()).isEqualTo(FuaMode.EMULATE);
    }

    @Test
    void anUnknownModeIsRejectedNamingTheAcceptedValues() {
        assertThatThrownBy(() -> new FuaFilter().config("fuamode", "sometimes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fuamode")
                .hasMessageContaining("none, emulate, native, force, pass, discard");
    }
}
