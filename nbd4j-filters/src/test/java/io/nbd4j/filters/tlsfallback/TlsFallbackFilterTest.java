package io.nbd4j.filters.tlsfallback;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plaintext side; the TLS side, where the plugin is served, is in the interop tests. */
@Timeout(60)
class TlsFallbackFilterTest {
    @Test
    void aPlaintextClientReadsTheMessageFromAReadOnlyDiskAndThePluginIsNeverOpened() throws Exception {
        ScriptedPlugin disk = new ScriptedPlugin(1 << 20).exports("secret");
        try (ServedStack served = ServedStack.of(disk, new TlsFallbackFilter()).config("tlsreadme=hello\n").start();
             NbdClient client = served.connect("secret")) {
            assertThat(client.size()).isEqualTo(512);
            assertThat(client.isReadOnly()).isTrue();
            assertThat(client.canTrim() || client.canFlush() || client.canMultiConn() || client.canCache()).isFalse();
            byte[] expected = Arrays.copyOf("hello\n".getBytes(StandardCharsets.UTF_8), 512);
            assertThat(client.pread(0, 512)).isEqualTo(expected);
        }
        assertThat(disk.events()).isEmpty();
    }

    @Test
    void plaintextListingsShowOnlyTheDefaultExportAndTheDefaultMessageFitsTheDisk() throws Exception {
        TlsFallbackFilter filter = new TlsFallbackFilter();
        List<Export> below = List.of(new Export("secret"));

        assertThat(filter.listExports(false, false, below)).extracting(Export::name).containsExactly("");
        assertThat(filter.listExports(false, true, below)).isSameAs(below);
        assertThat(filter.defaultExport(false, false, "secret")).isEmpty();
        assertThat(new String(TlsFallbackFilter.padded(TlsFallbackFilter.DEFAULT_MESSAGE), StandardCharsets.UTF_8))
                .startsWith("This NBD server requires TLS").hasSize(512);
        assertThat(TlsFallbackFilter.padded("x".repeat(600))).hasSize(512);
    }

    @Test
    void serializedConnectionsAreRefused() {
        assertThatThrownBy(() -> new TlsFallbackFilter().getReady(ThreadModel.SERIALIZE_CONNECTIONS))
                .hasMessageContaining("serialize_connections");
    }
}
