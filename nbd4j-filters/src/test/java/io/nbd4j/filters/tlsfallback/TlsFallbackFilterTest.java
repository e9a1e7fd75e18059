package io.nbd4j.filters.tlsfallback;

import io.nbd4j.client.NbdClient;
import io.nbd4j.filters.testkit.ScriptedPlugin;
import io.nbd4j.filters.testkit.ServedStack;
import io.nbd4j.spi.BelowAnswer;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.ThreadModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
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
    void plaintextListingsShowOnlyTheDefaultExportWithoutAskingThePluginAndTheDefaultMessageFitsTheDisk() throws Exception {
        TlsFallbackFilter filter = new TlsFallbackFilter();
        List<Export> below = List.of(new Export("secret"));
        BelowAnswer<List<Export>> refusingList = () -> { throw new IOException("the plugin was asked"); };
        BelowAnswer<String> refusingDefault = () -> { throw new IOException("the plugin was asked"); };

        assertThat(filter.listExportsLazily(false, false, refusingList)).extracting(Export::name).containsExactly("");
        assertThat(filter.defaultExportLazily(false, false, refusingDefault)).isEmpty();
        assertThat(filter.listExportsLazily(false, true, () -> below)).isSameAs(below);
        assertThat(filter.defaultExportLazily(false, true, () -> "secret")).isEqualTo("secret");
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
