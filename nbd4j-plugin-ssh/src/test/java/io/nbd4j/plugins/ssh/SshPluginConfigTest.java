package io.nbd4j.plugins.ssh;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshPluginConfigTest {
    @TempDir
    Path dir;

    @Test
    void hostAndPathAreRequired() throws ConfigException {
        SshPlugin plugin = new SshPlugin();
        plugin.config("path", "disk.img");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("host= and path= are required");
    }

    @Test
    void createNeedsCreateSize() throws ConfigException {
        SshPlugin plugin = new SshPlugin();
        plugin.config("host", "example.test");
        plugin.config("path", "disk.img");
        plugin.config("create", "true");

        assertThatThrownBy(plugin::configComplete).hasMessageContaining("create-size=");
    }

    @Test
    void createModeIsOctal() {
        SshPlugin plugin = new SshPlugin();

        assertThatThrownBy(() -> plugin.config("create-mode", "0689")).hasMessageContaining("octal");
        assertThatThrownBy(() -> plugin.config("port", "70000")).hasMessageContaining("from 1 to 65535");
    }

    @Test
    void passwordFromAFileIsItsFirstLine() throws IOException, ConfigException {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret word\nsecond line\n");

        assertThat(PasswordSource.read("+" + file)).isEqualTo("s3cret word");
        assertThat(PasswordSource.read("plain")).isEqualTo("plain");
    }

    @Test
    void unreadablePasswordFileIsNamedWithoutAnyPassword() {
        assertThatThrownBy(() -> PasswordSource.read("+" + dir.resolve("none"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("password=+FILE").hasMessageContaining("none");
    }

    @Test
    void settingsNeverPrintThePassword() {
        SshSettings s = new SshSettings("h", 22, "u", "p", "hunter2", java.util.List.of(), java.util.List.of(),
                true, -1, 0600, java.time.Duration.ofSeconds(1), false);

        assertThat(s.toString()).doesNotContain("hunter2").contains("with a password");
    }
}
