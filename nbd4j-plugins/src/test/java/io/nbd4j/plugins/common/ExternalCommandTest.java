package io.nbd4j.plugins.common;

import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFailureNamesTheProgramItsStatusAndWhatItSaidOnStandardError() {
        assertThatThrownBy(() -> ExternalCommand.shell("test: command=", "echo noise; echo 'disk on fire' >&2; exit 4").run())
                .isInstanceOf(NbdException.class)
                .hasMessageContaining("test: command=")
                .hasMessageContaining("exit status 4")
                .hasMessageContaining("disk on fire")
                .hasMessageNotContaining("noise");
    }

    @Test
    void standardOutputIsKeptOrSentToAFile() throws Exception {
        assertThat(ExternalCommand.program("echo", "hello").run()).isEqualTo("hello\n");
        Path out = dir.resolve("out");
        assertThat(ExternalCommand.shell("t", "printf %s \"$greeting\"").environment(Map.of("greeting", "hi")).stdoutTo(out).run())
                .isEmpty();
        assertThat(Files.readString(out)).isEqualTo("hi");
    }

    @Test
    void aProgramMissingFromPathIsNamed() {
        assertThatThrownBy(() -> ExternalCommand.program("no-such-program-h2"))
                .isInstanceOf(NbdException.class).hasMessageContaining("no-such-program-h2").hasMessageContaining("PATH");
    }

    @Test
    void systemDirectoriesAreSearchedAfterPath() {
        assertThat(ExternalCommand.locate("mke2fs")).hasValueSatisfying(p -> assertThat(p.toString()).endsWith("/mke2fs"));
        assertThat(ExternalCommand.locate("/bin/sh")).contains(Path.of("/bin/sh"));
        assertThat(ExternalCommand.locate("/no/such/program")).isEmpty();
    }

    @Test
    void shellQuotingKeepsAnyStringOneWord() throws Exception {
        String nasty = "a 'b' $c \"d\" `e`";
        assertThat(ExternalCommand.shell("t", "printf %s " + ExternalCommand.shellQuote(nasty)).run()).isEqualTo(nasty);
    }
}
