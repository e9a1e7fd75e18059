package io.nbd4j.filters.log;

/**
 * Quotes a string as nbdkit's log writes names (an export name may hold anything): as it is when
 * non-empty and made only of letters, digits and {@code .-_=,:/}; otherwise in double quotes, with
 * {@code $ ` \ "} escaped by a backslash, so that a shell reads back the same string. Stateless.
 */
final class ShellQuoting {
    private static final String SAFE = ".-_=,:/";

    private ShellQuoting() {}

    static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || SAFE.indexOf(c) >= 0))) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' || c == '`' || c == '\\' || c == '"') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
