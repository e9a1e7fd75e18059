package io.nbd4j.plugins.full;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Extents;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FullPluginTest {
    private final FullPlugin plugin = new FullPlugin();

    private Handle open(String size) throws Exception {
        plugin.config("size", size);
        plugin.configComplete();
        return plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
    }

    private static void assertNoSpace(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NbdException.class,
                e -> assertThat(e.error()).isEqualTo(NbdError.ENOSPC));
    }

    @Test
    void everyChangeFailsWithNoSpace() throws Exception {
        Handle h = open("1M");
        assertThat(h.canWrite()).isTrue();
        assertNoSpace(() -> h.pwrite(ByteBuffer.allocate(512), 0, 0));
        assertNoSpace(() -> h.trim(512, 0, 0));
        assertNoSpace(() -> h.zero(512, 0, 0));
    }

    @Test
    void readsZeroesAndFlushSucceeds() throws Exception {
        Handle h = open("1M");
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        h.pread(b, 100, 0);
        assertThat(b.array()).containsOnly(0);
        h.flush(0);
        List<Integer> types = new ArrayList<>();
        h.extents(1 << 20, 0, 0, (o, l, t) -> types.add(t));
        assertThat(types).containsExactly(Extents.HOLE | Extents.ZERO);
    }

    @Test
    void sizeIsRequiredAndParsed() {
        assertThatThrownBy(plugin::configComplete).isInstanceOf(ConfigException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> plugin.config("size", "-1")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
    }
}
