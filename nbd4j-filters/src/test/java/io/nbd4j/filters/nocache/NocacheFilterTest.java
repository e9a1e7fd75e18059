package io.nbd4j.filters.nocache;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NocacheFilterTest {
    private final ScriptedPlugin disk = new ScriptedPlugin(1 << 20);

    @Test
    void byDefaultCacheRequestsAreNotAdvertised() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new NocacheFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.canCache()).isFalse();
        }
    }

    @Test
    void emulateReadsTheRangeInsteadOfAskingThePluginToCache() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new NocacheFilter()).config("cachemode=emulate").start();
             NbdClient client = served.connect()) {
            client.cache(8192, 0);
        }
        assertThat(disk.calls()).containsExactly("pread 0+8192");
    }

    @Test
    void nopAcceptsCacheRequestsAndDoesNothing() throws Exception {
        try (ServedStack served = ServedStack.of(disk, new NocacheFilter()).config("cachemode=no-op").start();
             NbdClient client = served.connect()) {
            assertThat(client.canCache()).isTrue();
            client.cache(8192, 0);
        }
        assertThat(disk.calls()).isEmpty();
    }

    @Test
    void anUnknownModeIsRefused() {
        assertThatThrownBy(() -> Layers.configured(new NocacheFilter(), "cachemode=all")).hasMessageContaining("none, emulate, nop");
    }
}
