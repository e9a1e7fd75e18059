package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Export;
import io.nbd4j.spi.NbdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spellings below are the ones nbdkit's own test of list_exports checks. */
class ExportListParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "NAMES\n", "INTERLEAVED\n", "NAMES+DESCRIPTIONS\n"})
    void emptyListsHaveNoExports(String output) throws NbdException {
        assertThat(ExportListParser.parse(output)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "NAMES\n\n", "INTERLEAVED\n\n", "INTERLEAVED\n\n\n", "NAMES+DESCRIPTIONS\n\n",
            "NAMES+DESCRIPTIONS\n\n\n"})
    void anEmptyLineIsTheDefaultExportWithoutDescription(String output) throws NbdException {
        assertThat(ExportListParser.parse(output)).containsExactly(new Export("", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name\n", "NAMES\nname\n", "name"})
    void namesFormatIsAssumedWhenTheFirstLineIsNoKeyword(String output) throws NbdException {
        assertThat(ExportListParser.parse(output)).containsExactly(new Export("name", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INTERLEAVED\nname 1\ndesc 1\nname 2\ndesc 2\n", "NAMES+DESCRIPTIONS\nname 1\nname 2\ndesc 1\ndesc 2\n"})
    void descriptionsPairWithNamesInBothFormats(String output) throws NbdException {
        assertThat(ExportListParser.parse(output))
                .containsExactly(new Export("name 1", "desc 1"), new Export("name 2", "desc 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INTERLEAVED\nname 1\ndesc 1\nname 2\n", "NAMES+DESCRIPTIONS\nname 1\nname 2\ndesc 1\n"})
    void aMissingLastDescriptionLeavesThatExportWithout(String output) throws NbdException {
        assertThat(ExportListParser.parse(output))
                .containsExactly(new Export("name 1", "desc 1"), new Export("name 2", null));
    }

    @Test
    void namesUpTo4096BytesAreAcceptedAndLongerOnesRefused() throws NbdException {
        char[] longest = new char[4096];
        Arrays.fill(longest, 'x');
        String name = new String(longest);

        assertThat(ExportListParser.parse("NAMES+DESCRIPTIONS\n" + name + "\n" + name + "\n"))
                .isEqualTo(List.of(new Export(name, name)));
        assertThatThrownBy(() -> ExportListParser.parse("y" + name)).isInstanceOf(NbdException.class)
                .hasMessageContaining("4096");
    }
}
