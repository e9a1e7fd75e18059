package io.nbd4j.dist;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page source became a roff page at build time, and {@code man --warnings -l PAGE} (man-db with
 * groff) formats each without one warning.
 */
class ManPagesRenderWithoutWarningsTest {
    static final Path PAGES = Path.of(System.getProperty("man.output", "target/man"));

    @TestFactory
    Stream<DynamicTest> everyPageFormatsWithoutWarnings() throws IOException {
        return ManPagesFollowTheTemplateTest.sources().map(source -> {
            String roff = source.getFileName().toString().replaceFirst("\\.adoc$", "");
            return DynamicTest.dynamicTest(roff, () -> {
                Path page = PAGES.resolve(roff);
                assertThat(page).as("the page built from %s", source).isRegularFile();
                Path stderr = Files.createTempFile("nbd4j-dist-man", ".err");
                try {
                    ProcessBuilder man = new ProcessBuilder("man", "--warnings", "-l", page.toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(stderr.toFile());
                    man.environment().put("MANWIDTH", "80");
                    int status = man.start().waitFor();
                    List<String> warnings = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                    assertThat(warnings).as("man --warnings -l %s", page).isEmpty();
                    assertThat(status).as("exit status of man -l %s", page).isZero();
                } finally {
                    Files.deleteIfExists(stderr);
                }
            });
        });
    }
}
