package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class PluginRegistrationTest {
    @Test
    void shAndEvalAreFoundByTheServiceLoaderWithTheirMagicKeys() {
        var plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).filteredOn(p -> p.name().equals("sh")).singleElement()
                .satisfies(p -> assertThat(p.magicConfigKey()).isEqualTo("script"));
        assertThat(plugins).filteredOn(p -> p.name().equals("eval")).singleElement()
                .satisfies(p -> assertThat(p.magicConfigKey()).isNull());
    }
}
