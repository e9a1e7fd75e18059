package io.nbd4j.plugins.common;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nbdkit's password forms: the value, +FILE, -FD and - (the terminal). */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void aPlainValueIsTheSecret() throws ConfigException {
        assertThat(Secrets.read("password", "hunter2")).isEqualTo("hunter2");
    }

    @Test
    void plusFileReadsTheFileWithoutItsTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "from a file\n");
        assertThat(Secrets.read("password", "+" + file)).isEqualTo("from a file");
        Files.writeString(file, "two\nlines\n\n");
        assertThat(Secrets.read("password", "+" + file)).isEqualTo("two\nlines\n");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> Secrets.read("password", "+" + dir.resolve("nope")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope");
    }

    @Test
    void standardDescriptorsAreRefusedBecauseReadingWouldUseThemUp() {
        assertThatThrownBy(() -> Secrets.read("password", "-0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("standard input");
    }

    @Test
    void theTerminalFormFailsClearlyWithoutATerminal() {
        // surefire runs tests without a terminal
        assertThatThrownBy(() -> Secrets.read("password", "-")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("terminal");
    }
}
