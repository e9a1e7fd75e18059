package io.nbd4j.filters.nozero;

/** The values of {@code zeromode}. */
enum ZeroFilterMode {
    /** Write-zeroes is not advertised. */
    NONE,
    /** Write-zeroes is advertised and done by writing zeroes, whatever the plugin can do. */
    EMULATE,
    /** Zero requests reach the plugin without {@code MAY_TRIM}. */
    NOTRIM,
    /** Zero requests reach the plugin unchanged. */
    PLUGIN
}
