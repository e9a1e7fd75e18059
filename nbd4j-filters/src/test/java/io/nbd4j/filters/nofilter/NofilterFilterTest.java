package io.nbd4j.filters.nofilter;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.protocol.CommandFlags;
import io.nbd4j.spi.FuaMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NofilterFilterTest {
    @Test
    void everyRequestAndCapabilityPassesThroughUnchanged() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).fua(FuaMode.NATIVE).multiConn(false).canFastZero(false);
        try (ServedStack served = ServedStack.of(disk, new NofilterFilter()).start(); NbdClient client = served.connect()) {
            assertThat(client.canMultiConn()).isFalse();
            assertThat(client.canFastZero()).isFalse();
            client.pwrite(new byte[512], 0);
            client.zero(4096, 4096, CommandFlags.FUA);
            client.trim(4096, 8192, 0);
            client.flush();
            client.cache(512, 0);
            client.pread(0, 512);
            client.blockStatus(4096, 0, 0);
        }
        assertThat(disk.calls()).containsExactly("pwrite 0+512", "zero 4096+4096 fua may_trim", "trim 8192+4096", "flush",
                "cache 0+512", "pread 0+512", "extents 0+4096");
    }
}
