package io.nbd4j.filters.swab;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ClientErrors;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.BlockSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class SwabFilterTest {
    private static final byte[] COUNTING = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f1011121314151617");

    private ServedStack served(ScriptedPlugin disk, String bits) throws Exception {
        return ServedStack.of(disk, new SwabFilter()).config("swab-bits=" + bits).start();
    }

    @ParameterizedTest(name = "swab-bits={0}")
    @CsvSource({
            "8, 000102030405060708090a0b0c0d0e0f1011121314151617",
            "16, 010003020504070609080b0a0d0c0f0e1110131215141716",
            "32, 03020100070605040b0a09080f0e0d0c1312111017161514",
            "64, 07060504030201000f0e0d0c0b0a09081716151413121110"})
    void readsReverseEachWordAndWritesStoreThemBack(String bits, String swapped) throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4096).fill(0, COUNTING);
        try (ServedStack served = served(disk, bits); NbdClient client = served.connect()) {
            assertThat(HexFormat.of().formatHex(client.pread(0, 24))).isEqualTo(swapped);
            client.pwrite(HexFormat.of().parseHex(swapped), 64);
        }
        assertThat(disk.read(64, 24)).isEqualTo(COUNTING);
    }

    @Test
    void theClientsWriteBufferIsLeftAsItWas() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4096);
        try (ServedStack served = served(disk, "16"); NbdClient client = served.connect()) {
            ByteBuffer data = ByteBuffer.wrap(COUNTING.clone());
            client.pwrite(data, 0, 0);
            assertThat(data.array()).isEqualTo(COUNTING);
        }
    }

    @Test
    void requestsOffWordBoundariesFailWithEinvalAndTheSizeIsWholeWords() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4099);
        try (ServedStack served = served(disk, "32"); NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(4096);
            assertThat(ClientErrors.errorOf(() -> client.pread(2, 4))).isEqualTo(ClientErrors.EINVAL);
            assertThat(ClientErrors.errorOf(() -> client.zero(6, 0, 0))).isEqualTo(ClientErrors.EINVAL);
            assertThat(ClientErrors.errorOf(() -> client.pwrite(new byte[3], 0))).isEqualTo(ClientErrors.EINVAL);
        }
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void theMinimumBlockSizeIsTheWordUnlessTheLayerBelowWantsMore() throws Exception {
        try (ServedStack served = served(new ScriptedPlugin(4096), "64"); NbdClient client = served.connect()) {
            assertThat(client.exportInfo().blockSizes().orElseThrow().minimum()).isEqualTo(8);
        }
        ScriptedPlugin sectors = new ScriptedPlugin(4096).blockSize(new BlockSize(512, 4096, 1 << 20));
        try (ServedStack served = served(sectors, "16"); NbdClient client = served.connect()) {
            assertThat(client.exportInfo().blockSizes().orElseThrow().minimum()).isEqualTo(512);
        }
    }

    @Test
    void blockStatusIsWholeWords() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(8192).fill(4096, new byte[] {1});
        try (ServedStack served = served(disk, "16"); NbdClient client = served.connect()) {
            assertThat(client.blockStatus(8192, 0, 0)).extracting(Extent::offset, Extent::length, Extent::isHole)
                    .containsExactly(tuple(0L, 4096L, true), tuple(4096L, 4096L, false));
        }
    }

    @Test
    void onlyTheFourWordSizesAreAccepted() {
        assertThatThrownBy(() -> Layers.configured(new SwabFilter(), "swab-bits=24")).hasMessageContaining("8, 16, 32, 64");
        assertThatThrownBy(() -> Layers.configured(new SwabFilter(), "swab-bits=x")).hasMessageContaining("swab-bits");
    }
}
