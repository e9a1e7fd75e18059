package io.nbd4j.interop;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The file plugin's directory mode as {@code nbdinfo --list} sees it. */
class FileDirectoryListingTest {
    private static final Pattern EXPORT_NAME = Pattern.compile("\"export-name\": \"([^\"]*)\"");

    @TempDir
    Path dir;

    /** nbdkit lists in the directory's own order and also accepts {@code directory=} for {@code dir=}. */
    @ServerTest
    void exportsAreListedInTheDirectorysOwnOrder(Server server) throws Exception {
        Path exports = Files.createDirectory(dir.resolve("exports"));
        for (int i = 0; i < 12; i++) {
            Files.writeString(exports.resolve("disk" + (i * 5 % 12)), "x");
        }
        List<String> readdirOrder;
        try (var entries = Files.list(exports)) {
            readdirOrder = entries.map(p -> p.getFileName().toString()).toList();
        }

        ProcessResult r = ServerProcess.captive(server, List.of("file", "directory=" + exports),
                "nbdinfo --list --json \"$uri\"");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Matcher names = EXPORT_NAME.matcher(r.stdout());
        List<String> listed = names.results().map(m -> m.group(1)).toList();
        assertThat(listed).containsExactlyElementsOf(readdirOrder);
    }
}
