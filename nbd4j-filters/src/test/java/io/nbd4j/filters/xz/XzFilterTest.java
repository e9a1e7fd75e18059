package io.nbd4j.filters.xz;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.Images;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XzFilterTest {
    private static final int BLOCK = 64 * 1024;

    /** {@code image} compressed as xz in blocks of {@code blockSize} bytes, as {@code xz --block-size} makes. */
    static byte[] xz(byte[] image, int blockSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
            for (int at = 0; at < image.length; at += blockSize) {
                xz.write(image, at, Math.min(blockSize, image.length - at));
                xz.endBlock();
            }
        }
        return out.toByteArray();
    }

    private static ScriptedPlugin disk(byte[] file) {
        return new ScriptedPlugin(file.length).fill(0, file);
    }

    @Test
    void readsAnywhereGiveTheDecompressedBytes() throws Exception {
        byte[] image = Images.mixed(10 * BLOCK + 123, 1, BLOCK, 2 * BLOCK);
        try (ServedStack served = ServedStack.of(disk(xz(image, BLOCK)), new XzFilter()).start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(image.length);
            assertThat(client.isReadOnly()).isTrue();
            assertThat(client.pread(BLOCK - 10, 3 * BLOCK)).isEqualTo(Arrays.copyOfRange(image, BLOCK - 10, 4 * BLOCK - 10));
            assertThat(client.pread(0, image.length)).isEqualTo(image);
        }
    }

    @Test
    void aReadDecompressesOnlyTheBlockItTouches() throws Exception {
        byte[] image = Images.mixed(32 * BLOCK, 2);
        byte[] file = xz(image, BLOCK);
        ScriptedPlugin disk = disk(file);
        try (ServedStack served = ServedStack.of(disk, new XzFilter()).start(); NbdClient client = served.connect()) {
            disk.clearCalls();
            assertThat(client.pread(20 * BLOCK + 5, 100)).isEqualTo(Arrays.copyOfRange(image, 20 * BLOCK + 5, 20 * BLOCK + 105));
            assertThat(Images.bytesRead(disk)).isLessThan(file.length / 4);
        }
    }

    @Test
    void blocksBeyondTheDepthAreDecompressedAgain() throws Exception {
        byte[] image = Images.mixed(8 * BLOCK, 3);
        ScriptedPlugin disk = disk(xz(image, BLOCK));
        try (ServedStack served = ServedStack.of(disk, new XzFilter()).config("xz-max-depth=2").start();
             NbdClient client = served.connect()) {
            client.pread(0, 10);
            disk.clearCalls();
            client.pread(1, 10);
            assertThat(disk.calls()).isEmpty();
            client.pread(BLOCK, 10);
            client.pread(2 * BLOCK, 10);
            disk.clearCalls();
            client.pread(0, 10);
            assertThat(disk.calls()).isNotEmpty();
        }
    }

    @Test
    void aFileWithABlockLargerThanTheMaximumIsRefused() throws Exception {
        byte[] file = xz(Images.mixed(4 * BLOCK, 4), 2 * BLOCK);
        try (ServedStack served = ServedStack.of(disk(file), new XzFilter()).config("xz-max-block=64K").start()) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
        try (ServedStack served = ServedStack.of(disk(file), new XzFilter()).config("xz-max-block=128K").start();
             NbdClient client = served.connect()) {
            assertThat(client.size()).isEqualTo(4 * BLOCK);
        }
    }

    @Test
    void somethingThatIsNotXzFailsTheConnection() throws Exception {
        try (ServedStack served = ServedStack.of(disk(new byte[4096]), new XzFilter()).start()) {
            assertThatThrownBy(served::connect).isInstanceOf(IOException.class);
        }
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> Layers.configured(new XzFilter(), "xz-max-block=3G")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("xz-max-block:");
        assertThatThrownBy(() -> Layers.configured(new XzFilter(), "xz-max-depth=0")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("xz-max-depth:");
    }
}
