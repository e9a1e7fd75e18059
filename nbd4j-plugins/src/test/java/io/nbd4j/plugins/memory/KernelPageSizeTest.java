package io.nbd4j.plugins.memory;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelPageSizeTest {
    private static ByteBuffer auxv(long... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * Long.BYTES).order(ByteOrder.nativeOrder());
        for (long w : words) {
            b.putLong(w);
        }
        return b.flip();
    }

    @Test
    void thePageSizeIsTheValueOfTheAtPageszEntry() {
        assertThat(KernelPageSize.fromAuxiliaryVector(auxv(33, 0x7fff0000L, 16, 0x178bfbffL, 6, 16384, 0, 0)))
                .isEqualTo(16384);
    }

    @Test
    void aVectorEndingBeforeAnyPageSizeIsRefused() {
        assertThatThrownBy(() -> KernelPageSize.fromAuxiliaryVector(auxv(33, 1, 0, 0, 6, 4096)))
                .hasMessageContaining("no page size");
    }

    @Test
    void aPageSizeThatIsNoPowerOfTwoIsRefused() {
        assertThatThrownBy(() -> KernelPageSize.fromAuxiliaryVector(auxv(6, 4095, 0, 0)))
                .hasMessageContaining("impossible page size");
    }

    @Test
    void thisProcessGetsThePageSizeGetconfReports() throws Exception {
        Process getconf = new ProcessBuilder("getconf", "PAGESIZE").start();
        String reported = new String(getconf.getInputStream().readAllBytes()).strip();
        assertThat(getconf.waitFor()).isZero();

        assertThat(KernelPageSize.read()).isEqualTo(Integer.parseInt(reported));
    }
}
