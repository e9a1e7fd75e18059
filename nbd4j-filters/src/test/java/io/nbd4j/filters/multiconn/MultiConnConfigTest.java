package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiConnConfigTest {
    @Test
    void defaultsAreAutoConnectionTrackingOneGroup() throws ConfigException {
        assertThat(Fixtures.filter().settings())
                .isEqualTo(new Settings(Mode.AUTO, DirtyTracking.CONNECTION, false, false));
    }

    @Test
    void everyDocumentedSpellingIsAccepted() throws ConfigException {
        assertThat(Fixtures.filter("multi-conn-mode=unsafe", "multi-conn-track-dirty=conn",
                "multi-conn-export-name=yes", "multi-conn-flush-on-close=on").settings())
                .isEqualTo(new Settings(Mode.UNSAFE, DirtyTracking.CONNECTION, true, true));
        assertThat(Fixtures.filter("multi-conn-mode=plugin", "multi-conn-track-dirty=fast",
                "multi-conn-exportname=true").settings())
                .isEqualTo(new Settings(Mode.PLUGIN, DirtyTracking.FAST, true, false));
        assertThat(Fixtures.filter("multi-conn-track-dirty=off").settings().tracking()).isEqualTo(DirtyTracking.OFF);
    }

    @Test
    void aBadModeIsRejectedNamingTheAcceptedValues() {
        assertThatThrownBy(() -> Fixtures.filter("multi-conn-mode=sometimes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("multi-conn-mode")
                .hasMessageContaining("auto, emulate, plugin, unsafe, disable");
    }

    @Test
    void aBadTrackingLevelIsRejectedNamingTheAcceptedValues() {
        assertThatThrownBy(() -> Fixtures.filter("multi-conn-track-dirty=slow"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("multi-conn-track-dirty")
                .hasMessageContaining("connection, conn, fast, off");
    }

    @Test
    void aBadBooleanIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> Fixtures.filter("multi-conn-exportname=maybe"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("multi-conn-exportname");
    }

    @Test
    void everyParameterIsDeclaredForRoutingAndHelp() {
        assertThat(new MultiConnFilter().parameters())
                .anySatisfy(p -> assertThat(p.matches("multi-conn-export-name")).isTrue())
                .extracting(p -> p.key())
                .containsExactly("multi-conn-mode", "multi-conn-track-dirty", "multi-conn-exportname",
                        "multi-conn-flush-on-close");
    }
}
