package io.nbd4j.filters.fua;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.util.Locale;

/** The values of {@code fuamode}. */
enum FuaFilterMode {
    /** FUA is not advertised; flush passes through. */
    NONE,
    /** FUA is advertised as emulated: the operation, then a flush. */
    EMULATE,
    /** FUA is advertised as native and passed down. */
    NATIVE,
    /** Every write is made FUA; flush does nothing. */
    FORCE,
    /** Nothing changes. */
    PASS,
    /** FUA and flush are thrown away (unsafe). */
    DISCARD;

    static final String KEY = "fuamode";

    static FuaFilterMode parse(String value) throws ConfigException {
        return valueOf(Values.parseChoice(KEY, value, "none", "emulate", "native", "force", "pass", "discard")
                .toUpperCase(Locale.ROOT));
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
