package io.nbd4j.plugins.zero;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZeroPluginTest {
    private final ZeroPlugin plugin = new ZeroPlugin();

    @Test
    void isAnEmptyReadOnlyDisk() throws Exception {
        plugin.configComplete();
        Handle h = plugin.open(new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false));
        assertThat(h.size()).isZero();
        assertThat(h.canWrite()).isFalse();
        assertThat(h.canMultiConn()).isTrue();
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(0), 0, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
    }

    @Test
    void takesNoParameters() {
        assertThat(plugin.parameters()).isEmpty();
        assertThat(plugin.magicConfigKey()).isNull();
        assertThatThrownBy(() -> plugin.config("size", "1")).isInstanceOf(ConfigException.class).hasMessageContaining("size");
    }
}
