package io.nbd4j.plugins.sh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.util.Locale;
import java.util.Set;

/**
 * Turns what a failing script printed on stderr into an {@link NbdException}: an errno name at the
 * very start, followed by whitespace or the end of the text, selects the error; the rest of the
 * first line is the message. Text that does not start with a known name (including {@code EINVALID})
 * is all message, with the error {@code EIO}. Stateless.
 */
final class ScriptErrors {
    /** The names nbdkit's sh plugin recognises; others are not errno names to a script. */
    private static final Set<String> KNOWN = Set.of(
            "EPERM", "EIO", "ENOMEM", "EINVAL", "ENOSPC", "EOVERFLOW", "ESHUTDOWN",
            "ENOTSUP", "EOPNOTSUPP", "EROFS", "EDQUOT", "EFBIG");

    private ScriptErrors() {}

    /**
     * @param script what to name in the message when stderr is empty
     * @param stderr everything the script printed on stderr
     */
    static NbdException fromStderr(String script, String method, String stderr) {
        String text = stripTrailingNewlines(stderr);
        if (text.isEmpty()) {
            return new NbdException(NbdError.EIO, script + ": " + method
                    + ": script exited with error, but did not print an error message on stderr");
        }
        NbdError error = NbdError.EIO;
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String first = text.substring(0, end).toUpperCase(Locale.ROOT);
        if (KNOWN.contains(first)) {
            error = NbdError.fromErrnoName(first);
            while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            text = text.substring(end);
        }
        int newline = text.indexOf('\n');
        String message = newline < 0 ? text : text.substring(0, newline);
        return new NbdException(error, message.isEmpty() ? first : message);
    }

    private static String stripTrailingNewlines(String s) {
        int len = s.length();
        while (len > 0 && s.charAt(len - 1) == '\n') {
            len--;
        }
        return s.substring(0, len);
    }
}
