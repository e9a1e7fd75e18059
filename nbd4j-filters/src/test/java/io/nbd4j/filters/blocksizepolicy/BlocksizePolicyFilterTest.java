package io.nbd4j.filters.blocksizepolicy;

import io.nbd4j.client.BlockSizes;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdClientException;
import io.nbd4j.filters.testkit.Layers;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.BlockSize;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.NbdError;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlocksizePolicyFilterTest {
    private static final BlockSize PLUGIN_SIZES = new BlockSize(64 << 10, 128 << 10, 32 << 20);

    private static BlockSizes advertised(ScriptedPlugin disk, String... parameters) throws Exception {
        try (ServedStack served = ServedStack.of(disk, new BlocksizePolicyFilter()).config(parameters).start();
             NbdClient client = served.connect()) {
            return client.exportInfo().blockSizes().orElseThrow();
        }
    }

    @Test
    void eachConfiguredValueReplacesThePluginsAndTheRestStay() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).blockSize(PLUGIN_SIZES);
        assertThat(advertised(disk)).isEqualTo(new BlockSizes(64 << 10, 128 << 10, 32 << 20));
        assertThat(advertised(disk, "blocksize-minimum=1")).isEqualTo(new BlockSizes(1, 128 << 10, 32 << 20));
        assertThat(advertised(disk, "blocksize-preferred=64K")).isEqualTo(new BlockSizes(64 << 10, 64 << 10, 32 << 20));
        assertThat(advertised(disk, "blocksize-maximum=1M")).isEqualTo(new BlockSizes(64 << 10, 128 << 10, 1 << 20));
        assertThat(advertised(disk, "blocksize-minimum=1", "blocksize-preferred=4K", "blocksize-maximum=1M"))
                .isEqualTo(new BlockSizes(1, 4096, 1 << 20));
    }

    @Test
    void overAPluginWithoutBlockSizesTheGapsGetDefaults() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20);
        assertThat(advertised(disk, "blocksize-minimum=512")).isEqualTo(new BlockSizes(512, 4096, 0xffff_ffffL));
        assertThat(advertised(disk, "blocksize-preferred=8K", "blocksize-write-disconnect=1000000"))
                .isEqualTo(new BlockSizes(1, 8192, 1000000));
    }

    @Test
    void underTheErrorPolicyRequestsThatBreakTheBlockSizeAreEinvalAndNeverReachThePlugin() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 << 20).blockSize(new BlockSize(512, 4096, 1 << 20));
        try (ServedStack served = ServedStack.of(disk, new BlocksizePolicyFilter())
                .config("blocksize-error-policy=error").start();
             NbdClient client = served.connect()) {
            client.pread(0, 512);
            client.pread(4096, 512);
            client.pread(0, 1 << 20);
            for (long[] bad : new long[][] {{0, 768}, {768, 512}, {0, 256}, {0, 2 << 20}}) {
                assertThatThrownBy(() -> client.pread(bad[0], (int) bad[1]))
                        .isInstanceOfSatisfying(NbdClientException.class,
                                e -> assertThat(e.error()).isEqualTo(NbdError.EINVAL.wireValue()));
            }
            assertThatThrownBy(() -> client.zero(100, 0, 0)).isInstanceOf(NbdClientException.class);
            client.zero(2 << 20, 0, 0);
        }
        assertThat(disk.calls()).containsExactly("pread 0+512", "pread 4096+512", "pread 0+1048576",
                "zero 0+2097152 may_trim");
    }

    @Test
    void underTheAllowPolicyRequestsThatBreakTheBlockSizeReachThePlugin() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 << 20).blockSize(new BlockSize(512, 4096, 1 << 20));
        try (ServedStack served = ServedStack.of(disk, new BlocksizePolicyFilter()).start(); NbdClient client = served.connect()) {
            client.pread(768, 100);
            client.pread(0, 2 << 20);
        }
        assertThat(disk.calls()).containsExactly("pread 768+100", "pread 0+2097152");
    }

    @Test
    void aWriteOverTheDisconnectSizeEndsThatConnectionOnly() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(4 << 20);
        try (ServedStack served = ServedStack.of(disk, new BlocksizePolicyFilter())
                .config("blocksize-write-disconnect=1M").start();
             NbdClient dropped = served.connect(); NbdClient other = served.connect()) {
            dropped.pwrite(new byte[1 << 20], 0);
            assertThatThrownBy(() -> dropped.pwrite(new byte[(1 << 20) + 1], 0)).isInstanceOf(NbdClientException.class);
            assertThat(dropped.closed()).failsWithin(Duration.ofSeconds(30));

            other.pwrite(new byte[512], 0);
        }
        assertThat(disk.calls()).containsExactly("pwrite 0+1048576", "pwrite 0+512");
    }

    @Test
    void inconsistentSizesAreRefusedAtStartNamingTheRule() {
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-minimum=3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("power of 2");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-preferred=256"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("from 512 to 32M");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-minimum=4K", "blocksize-maximum=6K"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("multiple of blocksize-minimum");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-minimum=8K", "blocksize-preferred=4K"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be larger");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-preferred=64K", "blocksize-maximum=32K"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be larger");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-minimum=4K", "blocksize-write-disconnect=4K"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("larger than blocksize-minimum");
        assertThatThrownBy(() -> Layers.configured(new BlocksizePolicyFilter(), "blocksize-error-policy=strict"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow, error");
    }
}
