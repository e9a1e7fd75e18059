package io.nbd4j.plugins.data;

/**
 * A place in the text of a data expression, for error messages: which text ({@code data=} or the
 * value of a {@code $VAR}) and the character offset in it.
 *
 * @param source {@code "data"} or {@code "$NAME"}
 * @param text   the whole text the offset counts in
 * @param offset the character offset of the problem
 */
record Origin(String source, String text, int offset) {
    private static final int EXCERPT = 32;

    /** {@code "at offset 9 of data: '-> \a \a'"}: where, and the text from there on. */
    String describe() {
        if (offset >= text.length()) {
            return "at the end of " + source;
        }
        int end = Math.min(text.length(), offset + EXCERPT);
        String excerpt = text.substring(offset, end)
                .replace("\n", "\\n").replace("\t", "\\t");
        String more = end < text.length() ? "..." : "";
        return "at offset " + offset + " of " + source + ": '" + excerpt + more + "'";
    }

    /** A message about this place, ready for a {@link io.nbd4j.spi.ConfigException}. */
    String message(String problem) {
        return "data: " + problem + ", " + describe();
    }
}
