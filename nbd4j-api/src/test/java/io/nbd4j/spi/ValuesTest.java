package io.nbd4j.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {
    @ParameterizedTest
    @CsvSource({"10, 10", "0x1f, 31", "010, 8", "-3, -3", "+7, 7", "0, 0", " 42 , 42"})
    void integersAreReadInDecimalHexOrOctalAsNbdkitReadsThem(String text, long expected) throws ConfigException {
        assertThat(Values.parseInteger("retries", text, -10, 100)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "10x", "0x", "1.5", "08", "- 3"})
    void malformedIntegersAreRefusedNamingTheKey(String text) {
        assertThatThrownBy(() -> Values.parseInteger("retries", text, 0, 100))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retries");
    }

    @Test
    void integersOutsideTheRangeAreRefusedNamingIt() {
        assertThatThrownBy(() -> Values.parseInteger("limit", "1001", 0, 1000))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limit").hasMessageContaining("0 to 1000");
    }

    @ParameterizedTest
    @CsvSource({"2, 2000000000", "1.5, 1500000000", "500ms, 500000000", "3s, 3000000000", "250us, 250000",
            "7ns, 7", "0, 0", "0.25 s, 250000000"})
    void durationsAreSecondsOrANumberWithAUnit(String text, long nanos) throws ConfigException {
        assertThat(Values.parseDuration("delay-read", text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "soon", "10min", "1.5.2", "ms", "0.5ns"})
    void malformedDurationsAreRefusedNamingTheKey(String text) {
        assertThatThrownBy(() -> Values.parseDuration("delay-read", text))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delay-read");
    }

    @Test
    void sizesOutsideTheRangeAreRefusedNamingItAndSizesInsideAreRead() throws ConfigException {
        assertThat(Values.parseSize("maxdata", "4G", 1, 1L << 32)).isEqualTo(1L << 32);
        assertThatThrownBy(() -> Values.parseSize("maxdata", "0", 1, 100))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxdata").hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> Values.parseSize("maxdata", "8G", 1, 0xffff_ffffL))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1 to 4294967295");
    }
}
