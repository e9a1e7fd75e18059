package io.nbd4j.filters.exportname;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

/** The values of {@code exportname-list}: which exports {@code NBD_OPT_LIST} shows. */
enum ListPolicy {
    /** The plugin's list. */
    KEEP,
    /** No list: the client gets an error. */
    ERROR,
    /** An empty list. */
    EMPTY,
    /** Only the default export, by its real name. */
    DEFAULT_ONLY,
    /** The names given with {@code exportname=}. */
    EXPLICIT;

    static ListPolicy parse(String key, String value) throws ConfigException {
        return switch (Values.parseChoice(key, value, "keep", "error", "empty", "defaultonly", "default-only", "explicit")) {
            case "keep" -> KEEP;
            case "error" -> ERROR;
            case "empty" -> EMPTY;
            case "explicit" -> EXPLICIT;
            default -> DEFAULT_ONLY;
        };
    }
}
