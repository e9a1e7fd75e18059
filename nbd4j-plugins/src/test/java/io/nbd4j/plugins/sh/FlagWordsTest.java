package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Flags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlagWordsTest {
    @Test
    void flagsAreCommaSeparatedInNbdkitsOrder() {
        assertThat(FlagWords.of(0)).isEmpty();
        assertThat(FlagWords.of(Flags.FUA)).isEqualTo("fua");
        assertThat(FlagWords.of(Flags.MAY_TRIM)).isEqualTo("may_trim");
        assertThat(FlagWords.of(Flags.REQ_ONE)).isEqualTo("req_one");
        assertThat(FlagWords.of(Flags.FAST_ZERO | Flags.MAY_TRIM | Flags.FUA)).isEqualTo("fua,may_trim,fast");
    }
}
