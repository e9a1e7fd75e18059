package io.nbd4j.filters.testkit;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.protocol.MetaContexts;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit itself, served with no filter: what the plugin records, the failures it injects, its extents. */
class ScriptedPluginTest {
    @Test
    void recordsEachCallFailsTheScriptedOnesAndServesItsBytes() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16);
        disk.failNext("pread", 1, NbdError.ENOSPC);
        try (ServedStack served = ServedStack.of(disk).start(); NbdClient client = served.connect()) {
            client.pwrite(new byte[] {1, 2, 3}, 4096);

            assertThatThrownBy(() -> client.pread(4096, 3)).isInstanceOfSatisfying(NbdClientException.class,
                    e -> assertThat(e.error()).isEqualTo(NbdError.ENOSPC.wireValue()));
            assertThat(client.pread(4096, 3)).containsExactly(1, 2, 3);
            assertThat(disk.read(4096, 3)).containsExactly(1, 2, 3);
        }

        assertThat(disk.calls()).containsExactly("pwrite 4096+3", "pread 4096+3 failed", "pread 4096+3");
        assertThat(disk.events()).startsWith("open export=", "prepare").endsWith("finish", "close");
    }

    @Test
    void failEveryFailsEachNthCallOfThatKind() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 16).failEvery("pread", 3, NbdError.EIO);
        try (ServedStack served = ServedStack.of(disk).start(); NbdClient client = served.connect()) {
            for (int i = 0; i < 6; i++) {
                try {
                    client.pread(0, 512);
                } catch (NbdClientException e) {
                    assertThat(e.error()).isEqualTo(NbdError.EIO.wireValue());
                }
            }
        }
        assertThat(disk.calls()).containsExactly("pread 0+512", "pread 0+512", "pread 0+512 failed",
                "pread 0+512", "pread 0+512", "pread 0+512 failed");
    }

    @Test
    void extentsShowWrittenPagesAsDataAndTheRestAsZeroHoles() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 * 4096).fill(4096, new byte[] {9});
        try (ServedStack served = ServedStack.of(disk).start();
             NbdClient client = served.connect(NbdClient.Options.builder().metaContexts(List.of(MetaContexts.BASE_ALLOCATION)).build())) {
            List<Extent> extents = client.blockStatus(4 * 4096, 0, 0);

            assertThat(extents).extracting(Extent::offset, Extent::length, e -> e.isHole() && e.isZero())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 4096L, true),
                            org.assertj.core.groups.Tuple.tuple(4096L, 4096L, false),
                            org.assertj.core.groups.Tuple.tuple(8192L, 8192L, true));
        }
    }
}
