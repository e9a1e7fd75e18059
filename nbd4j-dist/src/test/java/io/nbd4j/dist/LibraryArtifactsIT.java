package io.nbd4j.dist;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The artifacts a plugin author or an embedder depends on come with a sources jar and a javadoc jar,
 * and name their module for the module path (Automatic-Module-Name).
 */
class LibraryArtifactsIT {

    @ParameterizedTest
    @CsvSource({"nbd4j-api, io.nbd4j.spi", "nbd4j-protocol, io.nbd4j.protocol",
                "nbd4j-client, io.nbd4j.client", "nbd4j-server, io.nbd4j.server"})
    void libraryShipsSourcesAndJavadocAndNamesItsModule(String artifact, String module) throws IOException {
        Path target = Path.of(System.getProperty("nbd4j.root"), artifact, "target");
        String base = artifact + "-" + System.getProperty("nbd4j.version");
        try (JarFile jar = new JarFile(target.resolve(base + ".jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(module);
        }
        try (JarFile sources = new JarFile(target.resolve(base + "-sources.jar").toFile())) {
            assertThat(sources.stream().anyMatch(e -> e.getName().endsWith(".java"))).isTrue();
        }
        try (JarFile javadoc = new JarFile(target.resolve(base + "-javadoc.jar").toFile())) {
            assertThat(javadoc.getEntry("index.html")).isNotNull();
        }
    }
}
