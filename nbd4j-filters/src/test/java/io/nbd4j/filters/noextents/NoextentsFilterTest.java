package io.nbd4j.filters.noextents;

import io.nbd4j.client.Extent;
import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.nofilter.NofilterFilter;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class NoextentsFilterTest {
    @Test
    void aSparseDiskLooksFullyAllocatedAndThePluginIsNeverAsked() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fill(4096, new byte[] {1});
        try (ServedStack served = ServedStack.of(disk, new NoextentsFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.blockStatus(1 << 20, 0, 0)).extracting(Extent::offset, Extent::length, Extent::isHole)
                    .containsExactly(tuple(0L, 1048576L, false));
        }
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void belowAnotherFilterTheHolesAreHiddenToo() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        try (ServedStack served = ServedStack.of(disk, new NofilterFilter(), new NoextentsFilter()).start();
             NbdClient client = served.connect()) {
            assertThat(client.blockStatus(4096, 0, 0)).extracting(Extent::isHole).containsExactly(false);
        }
    }
}
