package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.FuaMode;
import io.nbd4j.spi.Handle;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.nbd4j.plugins.data.DataDisks.open;
import static io.nbd4j.plugins.data.DataDisks.plugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataPluginTest {
    private static byte[] read(Handle h, int length, long offset) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        h.pread(b, offset, 0);
        return b.array();
    }

    @Test
    void rawServesTheStringsBytes() throws Exception {
        DataPlugin p = plugin("raw", "Hello, world!");
        assertThat(read(open(p), 13, 0)).isEqualTo("Hello, world!".getBytes());
        p.unload();
    }

    @Test
    void base64IsDecodedAndSizeExtendsWithZeroes() throws Exception {
        DataPlugin p = plugin("base64", "MTIz", "size", "1M");
        Handle h = open(p);
        assertThat(h.size()).isEqualTo(1 << 20);
        assertThat(read(h, 4, 0)).isEqualTo(new byte[] {'1', '2', '3', 0});
        assertThat(read(h, 4, (1 << 20) - 4)).containsOnly(0);
        p.unload();
    }

    @Test
    void sizeTruncatesTheContent() throws Exception {
        DataPlugin p = plugin("data", "1 2 3", "size", "2");
        Handle h = open(p);
        assertThat(h.size()).isEqualTo(2);
        assertThat(read(h, 2, 0)).isEqualTo(new byte[] {1, 2});
        p.unload();
    }

    @Test
    void theDiskIsWritableAndSharedLikeMemory() throws Exception {
        DataPlugin p = plugin("data", "1 2 3 4", "size", "64K");
        Handle first = open(p);
        Handle second = open(p);
        assertThat(first.canWrite()).isTrue();
        assertThat(first.canMultiConn()).isTrue();
        assertThat(first.canFua()).isEqualTo(FuaMode.NATIVE);
        first.pwrite(ByteBuffer.wrap(new byte[] {9, 9}), 1, 0);
        assertThat(read(second, 4, 0)).isEqualTo(new byte[] {1, 9, 9, 4});
        second.zero(4, 0, 0);
        assertThat(read(first, 4, 0)).containsOnly(0);
        p.unload();
    }

    @Test
    void aHugeRunOfZeroesCostsNoMemory() throws Exception {
        DataPlugin p = plugin("data", "1 ( 0 )*1000000000 2 0*1000000000 3");
        Handle h = open(p);
        assertThat(h.size()).isEqualTo(2_000_000_003L);
        assertThat(read(h, 3, 1_000_000_000L)).isEqualTo(new byte[] {0, 2, 0});
        assertThat(read(h, 2, 2_000_000_001L)).isEqualTo(new byte[] {0, 3});
        p.unload();
    }

    @Test
    void exactlyOneSourceIsRequired() {
        assertThatThrownBy(() -> plugin()).isInstanceOf(ConfigException.class).hasMessageContaining("data=, raw= or base64=");
        assertThatThrownBy(() -> plugin("data", "1", "raw", "2")).isInstanceOf(ConfigException.class).hasMessageContaining("exactly one");
    }

    @Test
    void badParametersNameThemselves() {
        assertThatThrownBy(() -> plugin("base64", "!!!")).isInstanceOf(ConfigException.class).hasMessageStartingWith("base64:");
        assertThatThrownBy(() -> plugin("data", "1", "size", "x")).isInstanceOf(ConfigException.class).hasMessageStartingWith("size:");
        assertThatThrownBy(() -> plugin("data", "1", "allocator", "zstd")).isInstanceOf(ConfigException.class).hasMessageStartingWith("allocator:");
    }
}
