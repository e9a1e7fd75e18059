package io.nbd4j.plugins.sh;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits script output into lines the way the sh protocol counts them: every {@code \n} ends a line,
 * a last line without one still counts, and empty output has no lines (while {@code "\n"} is one
 * empty line). Stateless.
 */
final class OutputLines {
    private OutputLines() {}

    static List<String> of(String output) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < output.length()) {
            int end = output.indexOf('\n', start);
            if (end < 0) {
                end = output.length();
            }
            lines.add(output.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    /** The text without one trailing newline, as scripts' single-value answers are read. */
    static String chomp(String output) {
        return output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
    }
}
