package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Export;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the output of {@code list_exports} (and {@code default_export}). The first line picks the
 * format: {@code NAMES} (one name per line), {@code INTERLEAVED} (name line, description line, …) or
 * {@code NAMES+DESCRIPTIONS} (the first half of the lines are names, the second half their
 * descriptions). Any other first line means NAMES, with that line as the first name. A missing or
 * empty description means none. Stateless.
 */
final class ExportListParser {
    /** The protocol's limit for names and descriptions, in bytes of UTF-8. */
    private static final int MAX_STRING = 4096;

    private ExportListParser() {}

    static List<Export> parse(String output) throws NbdException {
        List<String> lines = OutputLines.of(output);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<Export> exports = new ArrayList<>();
        switch (lines.getFirst()) {
            case "NAMES" -> {
                for (String name : lines.subList(1, lines.size())) {
                    exports.add(export(name, null));
                }
            }
            case "INTERLEAVED" -> {
                for (int i = 1; i < lines.size(); i += 2) {
                    exports.add(export(lines.get(i), i + 1 < lines.size() ? lines.get(i + 1) : null));
                }
            }
            case "NAMES+DESCRIPTIONS" -> {
                List<String> rest = lines.subList(1, lines.size());
                int names = (rest.size() + 1) / 2;
                for (int i = 0; i < names; i++) {
                    exports.add(export(rest.get(i), names + i < rest.size() ? rest.get(names + i) : null));
                }
            }
            default -> {
                for (String name : lines) {
                    exports.add(export(name, null));
                }
            }
        }
        return exports;
    }

    private static Export export(String name, String description) throws NbdException {
        check("export name", name);
        if (description == null || description.isEmpty()) {
            return new Export(name);
        }
        check("export description", description);
        return new Export(name, description);
    }

    private static void check(String what, String text) throws NbdException {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_STRING) {
            throw new NbdException(NbdError.EINVAL, what + " is longer than " + MAX_STRING + " bytes: "
                    + text.substring(0, 32) + "…");
        }
    }
}
