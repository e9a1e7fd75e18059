package io.nbd4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LayerJarsTest {
    @TempDir
    Path first;
    @TempDir
    Path second;

    @AfterEach
    void forgetPath() {
        System.clearProperty(LayerJars.PATH_PROPERTY);
    }

    @Test
    void namesComeFromTheFileNamesOfEveryPluginDirectory() throws IOException {
        Files.createFile(first.resolve("nbd4j-plugin-s3.jar"));
        Files.createFile(second.resolve("nbd4j-plugin-ssh.jar"));
        Files.createFile(second.resolve("nbd4j-filter-slow.jar"));
        Files.createFile(second.resolve("nbd4j-plugin-s3-0.1.0-SNAPSHOT.txt"));
        Files.createDirectory(second.resolve("nbd4j-plugin-dir.jar"));
        System.setProperty(LayerJars.PATH_PROPERTY, first + ":" + second + ":" + first.resolve("missing"));

        assertThat(LayerJars.names("plugin")).containsExactly("s3", "ssh");
        assertThat(LayerJars.names("filter")).containsExactly("slow");
    }

    @Test
    void theFirstDirectoryHoldingTheJarWins() throws IOException {
        Path early = Files.createFile(first.resolve("nbd4j-plugin-s3.jar"));
        Files.createFile(second.resolve("nbd4j-plugin-s3.jar"));
        System.setProperty(LayerJars.PATH_PROPERTY, first + ":" + second);

        assertThat(LayerJars.find("plugin", "s3")).contains(early);
        assertThat(LayerJars.find("plugin", "ssh")).isEmpty();
    }

    @Test
    void aNameThatIsNotAPlainWordFindsNothing() throws IOException {
        Files.createDirectories(first.resolve("sub"));
        Files.createFile(first.resolve("sub/nbd4j-plugin-x.jar"));
        System.setProperty(LayerJars.PATH_PROPERTY, first.toString());

        assertThat(LayerJars.find("plugin", "../sub/x")).isEmpty();
        assertThat(LayerJars.find("plugin", "")).isEmpty();
    }
}
