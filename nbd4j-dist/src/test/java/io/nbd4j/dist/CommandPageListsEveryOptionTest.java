package io.nbd4j.dist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nbd4j(1) and {@code nbd4j --help} name the same options: the OPTIONS entries of nbd4j.1.adoc
 * ({@code -p PORT, --port=PORT::}) hold every short and long option the help lists, and no other.
 */
class CommandPageListsEveryOptionTest {
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\\w-])");

    @Test
    void optionsSectionNamesExactlyTheOptionsOfHelp() throws Exception {
        Set<String> inHelp = new TreeSet<>();
        for (String line : help().lines().toList()) {
            // Option lines start with blanks and a dash; description lines of a wrapped option do not.
            if (line.matches("^ {2,6}-.*")) {
                Matcher m = OPTION.matcher(line.strip().split(" {2,}")[0]);
                while (m.find()) {
                    inHelp.add(m.group(1));
                }
            }
        }
        assertThat(inHelp).as("options in nbd4j --help").contains("--port", "-p", "--run", "--filter");

        Set<String> onPage = new TreeSet<>();
        ManPageSource page = ManPageSource.read(ManPagesDescribeEveryLayerTest.SOURCES.resolve("nbd4j.1.adoc"));
        page.entries("OPTIONS").values().forEach(terms -> terms.forEach(term -> {
            Matcher m = OPTION.matcher(term);
            while (m.find()) {
                onPage.add(m.group(1));
            }
        }));
        assertThat(onPage).as("options in the OPTIONS section of nbd4j.1.adoc").isEqualTo(inHelp);
    }

    private static String help() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", System.getProperty("nbd4j.jar"), "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nbd4j --help: %s", out).isZero();
        return out;
    }
}
