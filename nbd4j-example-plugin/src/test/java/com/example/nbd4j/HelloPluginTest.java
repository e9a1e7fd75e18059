package com.example.nbd4j;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HelloPluginTest {
    private static final OpenRequest REQUEST = new OpenRequest("", false, false, 1, ThreadModel.PARALLEL, false);

    private static String read(Handle h, int length, long offset) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    @Test
    void servesTheGreetingOverAndOver() throws Exception {
        HelloPlugin plugin = new HelloPlugin();
        plugin.config("name", "nbd");
        Handle h = plugin.open(REQUEST);
        assertThat(h.size()).isEqualTo(1 << 20);
        assertThat(read(h, 26, 0)).isEqualTo("Hello, nbd!\nHello, nbd!\nHe");
        assertThat(read(h, 5, 12 * 1000 + 7)).isEqualTo("nbd!\n");
    }

    @Test
    void greetsTheWorldByDefaultAndIsReadOnly() throws Exception {
        Handle h = new HelloPlugin().open(REQUEST);
        assertThat(read(h, 14, 0)).isEqualTo("Hello, world!\n");
        assertThat(h.canWrite()).isFalse();
        assertThatThrownBy(() -> h.pwrite(ByteBuffer.allocate(1), 0, 0))
                .isInstanceOfSatisfying(NbdException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
    }

    @Test
    void anEmptyNameIsRefusedByName() {
        assertThatThrownBy(() -> new HelloPlugin().config("name", " ")).isInstanceOf(ConfigException.class).hasMessageStartingWith("name:");
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).map(Plugin::name))
                .contains("hello");
    }
}
