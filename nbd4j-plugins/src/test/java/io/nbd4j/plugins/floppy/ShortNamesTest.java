package io.nbd4j.plugins.floppy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ShortNamesTest {
    private static String name(ShortNames names, String longName) {
        return new String(names.assign(longName), StandardCharsets.US_ASCII);
    }

    @Test
    void aNameThatFitsEightDotThreeKeepsItUpperCased() {
        ShortNames names = new ShortNames();
        assertThat(name(names, "readme.txt")).isEqualTo("README  TXT");
        assertThat(name(names, "Makefile")).isEqualTo("MAKEFILE   ");
        assertThat(name(names, "a-b_c{1}.c")).isEqualTo("A-B_C{1}C  ");
    }

    @Test
    void longOrLossyNamesGetANumberedTail() {
        ShortNames names = new ShortNames();
        assertThat(name(names, "longname1.txt")).isEqualTo("LONGNA~1TXT");
        assertThat(name(names, "longname2.txt")).isEqualTo("LONGNA~2TXT");
        assertThat(name(names, "a b.txt")).isEqualTo("AB~1    TXT");
        assertThat(name(names, "file.html")).isEqualTo("FILE~1  HTM");
        assertThat(name(names, "ünïcode.txt")).isEqualTo("_N_COD~1TXT");
        assertThat(name(names, ".bashrc")).isEqualTo("BASHRC~1   ");
        assertThat(name(names, "a+b.tar.gz")).isEqualTo("A_BTAR~1GZ ");
    }

    @Test
    void namesDifferingOnlyInCaseGetDistinctShortNames() {
        ShortNames names = new ShortNames();
        assertThat(name(names, "readme")).isEqualTo("README     ");
        assertThat(name(names, "README")).isEqualTo("README~1   ");
        assertThat(name(names, "ReadMe")).isEqualTo("README~2   ");
    }

    @Test
    void theTailGrowsIntoTheStemPastNine() {
        ShortNames names = new ShortNames();
        String last = null;
        for (int i = 0; i < 12; i++) {
            last = name(names, "documentation" + i + ".txt");
        }
        assertThat(last).isEqualTo("DOCUM~12TXT");
    }

    @Test
    void thousandsOfSimilarNamesAllGetDistinctShortNames() {
        ShortNames names = new ShortNames();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) {
            seen.add(name(names, "file-with-long-name-" + i + ".txt"));
            seen.add(name(names, "file-w" + i + ".txt"));
        }
        assertThat(seen).hasSize(6000).allMatch(n -> n.length() == 11 && n.endsWith("TXT"));
    }
}
