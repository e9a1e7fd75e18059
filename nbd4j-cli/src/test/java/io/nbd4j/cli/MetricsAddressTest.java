package io.nbd4j.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsAddressTest {
    @ParameterizedTest
    @CsvSource({"9100, 127.0.0.1, 9100", "0.0.0.0:9100, 0.0.0.0, 9100", "localhost:0, localhost, 0", "'[::1]:9100', ::1, 9100"})
    void aPortAloneListensOnLoopbackAndAnAddressWhereItSays(String value, String host, int port) throws UsageException {
        assertThat(MetricsAddress.parse(value)).isEqualTo(new MetricsAddress(host, port, null));
    }

    @Test
    void aValueWithASlashIsAUnixSocket() throws UsageException {
        assertThat(MetricsAddress.parse("/run/nbd4j/metrics.sock"))
                .isEqualTo(new MetricsAddress(null, -1, Path.of("/run/nbd4j/metrics.sock")));
        assertThat(MetricsAddress.parse("./m.sock").unixSocket()).isAbsolute();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http", "99999", "-1", ":9100", "::1:9100", "[::1]9100", "host:port", "[::1:9100"})
    void malformedValuesAreRefusedNamingTheForms(String value) {
        assertThatThrownBy(() -> MetricsAddress.parse(value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--metrics").hasMessageContaining("ADDR:PORT");
    }
}
