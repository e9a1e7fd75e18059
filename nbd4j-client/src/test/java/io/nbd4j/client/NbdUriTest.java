package io.nbd4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NbdUriTest {

    @Test
    void tcpUriGivesHostPortAndExport() {
        assertThat(NbdUri.parse("nbd://example.com:10810/disk"))
                .isEqualTo(new NbdUri(NbdAddress.tcp("example.com", 10810), "disk"));
    }

    @Test
    void tcpUriWithoutPortOrPathUsesTheDefaultPortAndExport() {
        assertThat(NbdUri.parse("nbd://127.0.0.1")).isEqualTo(new NbdUri(NbdAddress.tcp("127.0.0.1", 10809), ""));
    }

    @Test
    void bracketedIpv6HostLosesItsBrackets() {
        assertThat(NbdUri.parse("nbd://[::1]:2000/").address()).isEqualTo(NbdAddress.tcp("::1", 2000));
    }

    @Test
    void unixUriTakesTheSocketFromTheQueryAndDecodesIt() {
        assertThat(NbdUri.parse("nbd+unix:///my%20disk?socket=/tmp/a%20b/sock"))
                .isEqualTo(new NbdUri(NbdAddress.unix(Path.of("/tmp/a b/sock")), "my disk"));
    }

    @Test
    void unixUriWithoutSocketIsRefused() {
        assertThatThrownBy(() -> NbdUri.parse("nbd+unix:///disk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socket=PATH");
    }

    @Test
    void tlsSchemesRequireTlsAndOtherwiseReadLikeTheirPlainTwins() {
        assertThat(NbdUri.parse("nbds://example.com/disk"))
                .isEqualTo(new NbdUri(NbdAddress.tcp("example.com", 10809), "disk", true));
        assertThat(NbdUri.parse("nbds+unix:///disk?socket=/tmp/s"))
                .isEqualTo(new NbdUri(NbdAddress.unix(Path.of("/tmp/s")), "disk", true));
        assertThat(NbdUri.parse("nbd://example.com/disk").tls()).isFalse();
    }

    @Test
    void otherSchemesAreRefusedNamingTheAcceptedForms() {
        assertThatThrownBy(() -> NbdUri.parse("nbd+vsock:///2:10809/disk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nbd://host[:port][/export]").hasMessageContaining("nbds+unix");
    }
}
