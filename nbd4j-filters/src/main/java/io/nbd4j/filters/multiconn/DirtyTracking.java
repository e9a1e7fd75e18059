package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

/** The values of {@code multi-conn-track-dirty}: how much the filter remembers to skip needless flushes. */
enum DirtyTracking {
    /** Per connection: flush writers, and readers only when some connection wrote since the last flush. */
    CONNECTION,
    /** One bit per group: a flush anywhere cleans every connection. */
    FAST,
    /** Nothing is remembered: every flush reaches the plugin. */
    OFF;

    static final String KEY = "multi-conn-track-dirty";

    static DirtyTracking parse(String key, String value) throws ConfigException {
        return switch (Values.parseChoice(key, value, "connection", "conn", "fast", "off")) {
            case "connection", "conn" -> CONNECTION;
            case "fast" -> FAST;
            default -> OFF;
        };
    }
}
