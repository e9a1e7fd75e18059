package io.nbd4j.filters.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShellQuotingTest {
    @Test
    void plainNamesStayAsTheyAre() {
        assertThat(ShellQuoting.quote("disk-1.img")).isEqualTo("disk-1.img");
        assertThat(ShellQuoting.quote("a=b,c:/d_e")).isEqualTo("a=b,c:/d_e");
    }

    @Test
    void emptyAndOtherNamesAreDoubleQuotedWithShellSpecialsEscaped() {
        assertThat(ShellQuoting.quote("")).isEqualTo("\"\"");
        assertThat(ShellQuoting.quote("a b")).isEqualTo("\"a b\"");
        assertThat(ShellQuoting.quote("$x`y`\\\"")).isEqualTo("\"\\$x\\`y\\`\\\\\\\"\"");
        assertThat(ShellQuoting.quote("é")).isEqualTo("\"é\"");
    }
}
