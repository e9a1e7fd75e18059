package io.nbd4j.filters.nozero;

/** The values of {@code fastzeromode}. */
enum FastZeroMode {
    /** With {@code zeromode=emulate}, as {@link #SLOW}; otherwise the plugin decides. */
    DEFAULT,
    /** Fast zero is not advertised. */
    NONE,
    /** Fast zero is advertised and every fast zero fails at once with {@code ENOTSUP}. */
    SLOW,
    /** Fast zero is advertised and the flag dropped: a fast zero may be slow (contrary to the protocol). */
    IGNORE
}
