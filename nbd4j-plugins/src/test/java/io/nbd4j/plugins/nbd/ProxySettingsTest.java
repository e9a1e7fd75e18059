package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdAddress;
import io.nbd4j.client.TlsOptions;
import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nbd plugin's parameter rules, which follow nbdkit's. */
class ProxySettingsTest {
    @TempDir
    Path dir;

    private static ProxySettings.Resolved resolve(String... words) throws ConfigException {
        ProxySettings settings = new ProxySettings();
        for (String word : words) {
            int equals = word.indexOf('=');
            settings.config(word.substring(0, equals), word.substring(equals + 1));
        }
        return settings.resolve();
    }

    @Test
    void aUriGivesTheAddressAndTheExport() throws ConfigException {
        ProxySettings.Resolved r = resolve("uri=nbd://example.com:2000/disk");
        assertThat(r.address()).isEqualTo(NbdAddress.tcp("example.com", 2000));
        assertThat(r.exportName()).isEqualTo("disk");
        assertThat(r.shared()).isFalse();
        assertThat(r.tls().enabled()).isFalse();
    }

    @Test
    void hostnameTakesANumericPortOrAServiceName() throws ConfigException {
        assertThat(resolve("hostname=h", "port=1234").address()).isEqualTo(NbdAddress.tcp("h", 1234));
        assertThat(resolve("hostname=h").address()).isEqualTo(NbdAddress.tcp("h", 10809));
        assertThat(resolve("hostname=h", "port=nbd").address()).isEqualTo(NbdAddress.tcp("h", 10809));
        assertThatThrownBy(() -> resolve("hostname=h", "port=70000")).hasMessageContaining("1 to 65535");
    }

    @Test
    void commandIsSharedAndKeepsItsArgumentsInOrder() throws ConfigException {
        ProxySettings.Resolved r = resolve("command=qemu-nbd", "arg=-f", "arg=qcow2", "arg=/d.qcow2");
        assertThat(r.command()).containsExactly("qemu-nbd", "-f", "qcow2", "/d.qcow2");
        assertThat(r.shared()).isTrue();
        assertThat(r.address()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nothing to connect to|retry=1|exactly one of",
            "two ways to connect|socket=/s hostname=h|exactly one of",
            "port without hostname|socket=/s port=1|port= goes with hostname=",
            "arg without command|socket=/s arg=x|arg= goes with command=",
            "export and uri|uri=nbd://h/e export=f|put the export name in the URI",
            "dynamic export with a fixed export|socket=/s dynamic-export=true export=e|cannot be combined with export=",
            "dynamic export shared|socket=/s dynamic-export=true shared=true|cannot be used with shared=true",
            "command not shared|command=qemu-nbd shared=false|shared=false cannot be used",
            "negative retry|socket=/s retry=-1|retry",
            "tls off with nbds|uri=nbds://h/ tls=off|contradicts",
    })
    void contradictoryParametersAreRefusedSayingWhy(String what, String words, String message) {
        String[] all = words.split(" ");
        assertThatThrownBy(() -> resolve(all)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"vsock=2,AF_VSOCK", "socket-fd=3,inherited socket", "tls-psk=/f,TLS-PSK", "tls-username=u,client-cert.pem"})
    void whatTheJdkCannotDoIsRefusedWithTheReason(String word, String reason) {
        assertThatThrownBy(() -> resolve("socket=/s", word)).isInstanceOf(ConfigException.class).hasMessageContaining(reason);
    }

    @Test
    void tlsIsOffByDefaultOnWithAnyTlsParameterAndRequiredForNbdsUris() throws ConfigException {
        assertThat(resolve("socket=/s").tls().mode()).isEqualTo(TlsOptions.Mode.OFF);
        assertThat(resolve("socket=/s", "tls-verify=false").tls().mode()).isEqualTo(TlsOptions.Mode.ON);
        assertThat(resolve("socket=/s", "tls-certificates=" + dir).tls().mode()).isEqualTo(TlsOptions.Mode.ON);
        assertThat(resolve("socket=/s", "tls=require").tls().mode()).isEqualTo(TlsOptions.Mode.REQUIRE);
        assertThat(resolve("uri=nbds+unix:///?socket=/s").tls().mode()).isEqualTo(TlsOptions.Mode.REQUIRE);
        assertThat(resolve("uri=nbds://h/", "tls=on").tls().mode()).isEqualTo(TlsOptions.Mode.REQUIRE);
    }

    @Test
    void aMissingCertificateDirectoryIsNamed() {
        assertThatThrownBy(() -> resolve("socket=/s", "tls=on", "tls-certificates=" + dir.resolve("missing")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing");
    }

    @Test
    void badTlsModesNameTheAcceptedOnes() {
        assertThatThrownBy(() -> resolve("socket=/s", "tls=maybe")).hasMessageContaining("off, on, require");
    }
}
