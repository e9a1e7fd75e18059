package io.nbd4j.filters.cache;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.util.Locale;

/** The values of {@code cache=}. (Not {@link io.nbd4j.spi.CacheMode}, which is about NBD_CMD_CACHE.) */
enum WriteMode {
    /** Writes stay in the cache until a flush writes every dirty block back. */
    WRITEBACK,
    /** Writes go to the plugin at once and are kept in the cache. */
    WRITETHROUGH,
    /** Like writeback, but flush does nothing: data reaches the plugin never (unsafe). */
    UNSAFE;

    static final String KEY = "cache";

    static WriteMode parse(String value) throws ConfigException {
        return valueOf(Values.parseChoice(KEY, value, "writeback", "writethrough", "unsafe").toUpperCase(Locale.ROOT));
    }
}
