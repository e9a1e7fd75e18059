package io.nbd4j.cli;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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

    @Test
    void theClassPathIsReadFromDirectoriesAndJarsInOrderPassingOverWhatIsMissing(@TempDir Path dir) throws IOException {
        Path classes = dir.resolve("classes");
        writeIndex(classes, "com.example.First # first\ncom.example.Shadowed # second\n");
        Path jar = dir.resolve("layers.jar");
        writeJarIndex(jar, "# a comment line\ncom.example.Second # second\ncom.example.Third#third\n");
        List<Path> entries = List.of(dir.resolve("absent.jar"), dir.resolve("empty"), jar, classes);
        Files.createDirectory(dir.resolve("empty"));

        assertThat(LayerIndex.classNamedOnClassPath(Plugin.class, "second", entries)).contains("com.example.Second");
        assertThat(LayerIndex.classNamedOnClassPath(Plugin.class, "third", entries)).contains("com.example.Third");
        assertThat(LayerIndex.classNamedOnClassPath(Plugin.class, "first", entries)).contains("com.example.First");
        assertThat(LayerIndex.classNamedOnClassPath(Plugin.class, "fourth", entries)).isEmpty();
        assertThat(LayerIndex.classNamedOnClassPath(Filter.class, "first", entries)).isEmpty();
    }

    @Test
    void anEntryThatIsNeitherAJarNorADirectoryIsPassedOver(@TempDir Path dir) throws IOException {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip file");
        Path classes = dir.resolve("classes");
        writeIndex(classes, "com.example.Found # found\n");

        assertThat(LayerIndex.classNamedOnClassPath(Plugin.class, "found", List.of(notAJar, classes)))
                .contains("com.example.Found");
    }

    private static void writeIndex(Path classes, String lines) throws IOException {
        Path file = classes.resolve("META-INF/services/" + Plugin.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, lines);
    }

    private static void writeJarIndex(Path jar, String lines) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("META-INF/services/" + Plugin.class.getName()));
            zip.write(lines.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
