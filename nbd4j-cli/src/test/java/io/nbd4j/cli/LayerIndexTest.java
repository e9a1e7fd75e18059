package io.nbd4j.cli;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LayerIndexTest {
    private static final ClassLoader BUILTINS = LayerIndexTest.class.getClassLoader();

    @ParameterizedTest
    @ValueSource(classes = {Plugin.class, Filter.class})
    void everyRegisteredLayerIsIndexedUnderItsOwnName(Class<? extends Layer> type) {
        List<String> mismatches = new ArrayList<>();
        for (Layer layer : ServiceLoader.load(type, BUILTINS)) {
            String indexed = LayerIndex.classNamed(type, layer.name(), BUILTINS).orElse("nothing");
            if (!indexed.equals(layer.getClass().getName())) {
                mismatches.add(layer.name() + " -> " + indexed + " (registered: " + layer.getClass().getName() + ")");
            }
        }
        assertThat(mismatches).as("services lines whose '# NAME' comment is missing or wrong").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "null", "sparse-random", "nbd"})
    void aPluginFoundThroughTheIndexIsTheOneOfThatName(String name) throws Exception {
        Plugin plugin = LayerIndex.find(Plugin.class, name, BUILTINS).orElseThrow();

        assertThat(plugin.name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi-conn", "cow", "log"})
    void aFilterFoundThroughTheIndexIsTheOneOfThatName(String name) throws Exception {
        Filter filter = LayerIndex.find(Filter.class, name, BUILTINS).orElseThrow();

        assertThat(filter.name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuchlayer", "io.nbd4j.plugins.memory.MemoryPlugin", "", "#"})
    void aNameNoLineCarriesFindsNothing(String name) throws Exception {
        assertThat(LayerIndex.find(Plugin.class, name, BUILTINS)).isEmpty();
    }

    @Test
    void aPluginNameIsNotFoundAmongTheFilters() throws Exception {
        assertThat(LayerIndex.find(Filter.class, "memory", BUILTINS)).isEmpty();
    }
}
