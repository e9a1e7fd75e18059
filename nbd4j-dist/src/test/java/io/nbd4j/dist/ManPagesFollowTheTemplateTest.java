package io.nbd4j.dist;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each page source in docs/man keeps the convention that docs/man/TEMPLATE.adoc shows: a title
 * {@code = NAME(SECTION)} matching the file name, {@code :doctype: manpage}, and the sections NAME,
 * SYNOPSIS, DESCRIPTION, (PARAMETERS for a plugin or filter,) EXAMPLES and SEE ALSO in that order,
 * other sections allowed between them; NAME is one line {@code NAME - what it is}.
 */
class ManPagesFollowTheTemplateTest {

    @TestFactory
    Stream<DynamicTest> everyPageHasTheSectionsOfTheTemplateInOrder() throws IOException {
        return sources().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ManPageSource page = ManPageSource.read(file);
            String section = file.getFileName().toString().replaceFirst(".*\\.(\\d)\\.adoc$", "$1");
            assertThat(page.lines()).as("title line and doctype of %s", file)
                    .startsWith("= " + page.name() + "(" + section + ")")
                    .contains(":doctype: manpage");
            List<String> required = page.name().matches("nbd4j-.+-(plugin|filter)")
                    ? List.of("NAME", "SYNOPSIS", "DESCRIPTION", "PARAMETERS", "EXAMPLES", "SEE ALSO")
                    : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "EXAMPLES", "SEE ALSO");
            assertThat(page.sectionTitles()).as("sections of %s", file).containsSubsequence(required);
            assertThat(page.sectionTitles().getFirst()).isEqualTo("NAME");
            List<String> name = page.section("NAME").stream().filter(l -> !l.isBlank()).toList();
            assertThat(name).as("NAME of %s", file).hasSize(1);
            assertThat(name.getFirst()).as("NAME of %s", file).startsWith(page.name() + " - ");
        }));
    }

    static Stream<Path> sources() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(ManPagesDescribeEveryLayerTest.SOURCES)) {
            files = list.filter(p -> p.getFileName().toString().matches("nbd4j.*\\.\\d\\.adoc")).sorted().toList();
        }
        assertThat(files).as("page sources in %s", ManPagesDescribeEveryLayerTest.SOURCES).isNotEmpty();
        return files.stream();
    }
}
