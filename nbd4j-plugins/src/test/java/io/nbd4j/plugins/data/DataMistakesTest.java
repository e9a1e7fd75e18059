package io.nbd4j.plugins.data;

import io.nbd4j.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.nbd4j.plugins.data.DataDisks.contentOf;
import static io.nbd4j.plugins.data.DataDisks.plugin;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every mistake in a data expression fails at start, with a message that says what and where. */
class DataMistakesTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "-1", "-", "256", "0400", "0x100", "0xfff", "0xffffffffffffffff", "0xffffffffffffffffffffffffffffffff", "08", "1a",
            "le16", "le16:", "le16:-1", "le16:abc", "le32:0x100000000", "be64:0x10000000000000000", "le24:1",
            "a", "x", "be", "le", "be1", "le3", "\u00a2", "?", "\\", "^", "@", "@+", "@-", "@^", "<", "<(", "$", "*", "[", ":", "]",
            "@-2", "@2 @-3", "@2 @-2 @-1", "@1 @^2 @-3", "@^3",
            "(", ")", "( (", "( ( )", ") ( )", "( ) )",
            "\"", "\"\\", "\"\\\\", "\"\\\"", "\"\\x\"", "\"\\x4\"", "\"\\400\"", "\"\\9\"", "\"\\uZZZZ\"",
            "*0", "*1", "0*-1", "0*", "0*x", "0**", "@1*2", "1 -> \\a *2",
            "0[2:]", "0[:2]", "[:]", "[0:1]", "\"111\"[4:]", "\"123\"[4:]", "\"123\"[1:0]", "1[1]", "1[-1:]",
            "</NOFILE", "\\a", "( 0 -> \\a ) \\a", "\\a ( 0 -> \\a )", "0 -> \\a \\b", "( 0 -> \\a \\a ) \\a",
            "(0 -> \\a) -> \\b \\b \\a", "1 ->", "1 -> a", "$unknownvar", "$1",
            "@0x7fffffffffffffff 1", "(1)*0x7fffffffffffffff 1", "1*0x7fffffffffffffff 1",
    })
    void isRefusedAtStart(String data) {
        assertThatThrownBy(() -> contentOf(data)).isInstanceOf(ConfigException.class).hasMessageStartingWith("data:");
    }

    @Test
    void aSyntaxErrorShowsTheOffsetAndTheTextFromThere() {
        assertThatThrownBy(() -> contentOf("1 2 ) 3")).hasMessage("data: unmatched ')', at offset 4 of data: ') 3'");
        assertThatThrownBy(() -> contentOf("( 1 2")).hasMessage("data: unmatched '(', at offset 0 of data: '( 1 2'");
        assertThatThrownBy(() -> contentOf("1 \"abc")).hasMessageContaining("unterminated string, at offset 2");
        assertThatThrownBy(() -> contentOf("1 2 le16:")).hasMessageContaining("at the end of data");
    }

    @Test
    void aNumberOutOfRangeSaysTheRange() {
        assertThatThrownBy(() -> contentOf("1 256")).hasMessageContaining("BYTE 256 does not fit in 8 bits (0..255), at offset 2");
        assertThatThrownBy(() -> contentOf("le32:4294967296")).hasMessageContaining("32 bits");
        assertThatThrownBy(() -> contentOf("08")).hasMessageContaining("'08' is not a number");
    }

    @Test
    void anErrorFoundWhileEvaluatingStillPointsAtItsText() {
        assertThatThrownBy(() -> contentOf("1 @-2"))
                .hasMessageContaining("@-2 must not be larger than the current offset 1").hasMessageContaining("offset 2 of data: '@-2'");
        assertThatThrownBy(() -> contentOf("( 1 2 3 ) ( 1 @+2 )[0:5]"))
                .hasMessageContaining("[0:5] is not a valid slice of an expression of 3 bytes").hasMessageContaining("offset 19");
        assertThatThrownBy(() -> contentOf("1 -> \\a 2 -> \\b ( \\c )"))
                .hasMessageContaining("\\c is not defined here (in scope: \\b \\a;");
    }

    @Test
    void anErrorInsideAVariableNamesTheVariable() {
        assertThatThrownBy(() -> contentOf(Map.of(), "data", "1 $a", "a", " 2 @-9 "))
                .hasMessageContaining("at offset 3 of $a: '@-9 '");
        assertThatThrownBy(() -> contentOf(Map.of(), "data", "$a", "a", "$b", "b", "$a"))
                .hasMessageContaining("$a refers to itself (through $a $b)");
        assertThatThrownBy(() -> contentOf(Map.of(), "data", "$nothere"))
                .hasMessageContaining("$nothere is neither a parameter nothere= nor an environment variable");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
        assertThatThrownBy(() -> contentOf(deep)).hasMessageContaining("nested more than");
        StringBuilder chain = new StringBuilder("1 -> \\n0");
        for (int i = 1; i < 5000; i++) {
            chain.append(" (\\n").append(i - 1).append(") -> \\n").append(i);
        }
        assertThatThrownBy(() -> contentOf(chain + " \\n4999")).hasMessageContaining("nested more than");
    }

    @Test
    void aParameterThatNoVariableUsesIsRefusedAsATypo() {
        assertThatThrownBy(() -> plugin("data", "1 2", "sise", "1M"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("data: sise= is not a parameter of the data plugin and data= never uses $sise");
    }

    @Test
    void variablesNeedDataAndAValidName() {
        assertThatThrownBy(() -> plugin("raw", "", "a", "NONSENSE")).hasMessageContaining("a= can only be used with data=");
        assertThatThrownBy(() -> plugin("data", "$a", "a", "1", "a", "2")).hasMessageContaining("a= is given twice");
        assertThatThrownBy(() -> plugin("data", "1", "a-b", "2")).hasMessageContaining("unknown parameter 'a-b'");
        assertThatThrownBy(() -> plugin(Map.of(), "data", " $a ", "a", "NONSENSE")).hasMessageContaining("of $a");
    }
}
