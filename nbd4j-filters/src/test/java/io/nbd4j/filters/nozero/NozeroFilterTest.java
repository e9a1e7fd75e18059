package io.nbd4j.filters.nozero;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ClientErrors;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NozeroFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(4 << 20);

    private ServedStack served(String... parameters) throws Exception {
        return ServedStack.of(disk, new NozeroFilter()).config(parameters).start();
    }

    @ParameterizedTest(name = "zeromode={0} fastzeromode={1}: zero {2}, fast zero {3}")
    @CsvSource({
            "none, default, false, false", "none, ignore, false, false",
            "emulate, default, true, true", "emulate, none, true, false",
            "plugin, default, true, true", "plugin, none, true, false",
            "notrim, slow, true, true"})
    void eachModeAdvertisesItsZeroAndFastZero(String zero, String fast, boolean canZero, boolean canFastZero) throws Exception {
        try (ServedStack served = served("zeromode=" + zero, "fastzeromode=" + fast); NbdClient client = served.connect()) {
            assertThat(client.canZero()).isEqualTo(canZero);
            assertThat(client.canFastZero()).isEqualTo(canFastZero);
        }
    }

    @Test
    void theDefaultHidesWriteZeroesSoTheClientWritesData() throws Exception {
        try (ServedStack served = served(); NbdClient client = served.connect()) {
            assertThat(client.canZero()).isFalse();
            assertThat(client.canFastZero()).isFalse();
        }
    }

    @Test
    void emulateWritesZeroesBelowAndFailsFastZeroes() throws Exception {
        try (ServedStack served = served("zeromode=emulate"); NbdClient client = served.connect()) {
            client.zero(3 << 20, 0, CommandFlags.FUA);
            assertThat(ClientErrors.errorOf(() -> client.zero(4096, 0, CommandFlags.FAST_ZERO))).isEqualTo(ClientErrors.ENOTSUP);
        }
        assertThat(disk.calls()).containsExactly("pwrite 0+1048576 fua", "pwrite 1048576+1048576 fua", "pwrite 2097152+1048576 fua");
    }

    @Test
    void emulateWithFastZeroIgnoredWritesEvenAFastZero() throws Exception {
        try (ServedStack served = served("zeromode=emulate", "fastzeromode=ignore"); NbdClient client = served.connect()) {
            client.zero(4096, 0, CommandFlags.FAST_ZERO);
        }
        assertThat(disk.calls()).containsExactly("pwrite 0+4096");
    }

    @Test
    void notrimDropsMayTrimAndSlowRefusesFastZeroesUpFront() throws Exception {
        try (ServedStack served = served("zeromode=notrim", "fastzeromode=slow"); NbdClient client = served.connect()) {
            client.zero(4096, 0, 0);
            assertThat(ClientErrors.errorOf(() -> client.zero(4096, 0, CommandFlags.FAST_ZERO))).isEqualTo(ClientErrors.ENOTSUP);
        }
        assertThat(disk.calls()).containsExactly("zero 0+4096");
    }

    @Test
    void pluginModePassesZeroesUnchanged() throws Exception {
        try (ServedStack served = served("zeromode=plugin"); NbdClient client = served.connect()) {
            client.zero(4096, 0, CommandFlags.FAST_ZERO);
        }
        assertThat(disk.calls()).containsExactly("zero 0+4096 may_trim fast");
    }

    @Test
    void passingZeroesDownIsRefusedWhenTheLayerBelowHidesThem() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new NozeroFilter(), new NozeroFilter()).config("zeromode=plugin").start()) {
            assertThatThrownBy(served::connect).hasMessageContaining("zeromode=plugin needs");
        }
        try (ServedStack served = ServedStack.of(disk, new NozeroFilter(), new NozeroFilter()).config("zeromode=plugin")
                .server(b -> b.readOnly(true)).start();
             NbdClient client = served.connect()) {
            assertThat(client.isReadOnly()).isTrue();
        }
    }

    @Test
    void unknownModesAreRefusedNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> Layers.configured(new NozeroFilter(), "zeromode=fast"))
                .hasMessageContaining("none, emulate, notrim, plugin");
        assertThatThrownBy(() -> Layers.configured(new NozeroFilter(), "fastzeromode=off"))
                .hasMessageContaining("default, none, slow, ignore");
    }

    @Test
    void readsAndWritesPassThrough() throws Exception {
        try (ServedStack served = served(); NbdClient client = served.connect()) {
            client.pwrite(new byte[] {1}, 0);
            assertThat(client.pread(0, 1)).containsExactly(1);
        }
        assertThat(disk.calls()).isEqualTo(List.of("pwrite 0+1", "pread 0+1"));
    }
}
