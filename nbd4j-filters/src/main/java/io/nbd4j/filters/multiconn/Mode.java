package io.nbd4j.filters.multiconn;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Values;

import java.util.Locale;

/** The values of {@code multi-conn-mode}; every connection resolves {@link #AUTO} to one of the others. */
enum Mode {
    /** SERIALIZE_CONNECTIONS → DISABLE; a multi-conn plugin → PLUGIN; otherwise EMULATE. */
    AUTO,
    /** Advertise multi-conn and replay a client flush to every connection of the group that needs it. */
    EMULATE,
    /** Advertise what the plugin advertises; flush only the own connection, skipping clean ones. */
    PLUGIN,
    /** Advertise multi-conn without making it true: for measuring what the plugin would gain. */
    UNSAFE,
    /** Never advertise multi-conn. */
    DISABLE;

    static final String KEY = "multi-conn-mode";

    static Mode parse(String key, String value) throws ConfigException {
        String word = Values.parseChoice(key, value, "auto", "emulate", "plugin", "unsafe", "disable");
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
