package io.nbd4j.spi;

import java.util.List;

/**
 * One {@code key=value} parameter a plugin or filter accepts, declared once: the server uses it to route
 * keys to the layer that claims them and to print {@code --help}.
 *
 * @param key     the key as the user types it
 * @param value   a short placeholder for the value in help text, e.g. {@code SIZE} or {@code true|false}
 * @param help    one line saying what the parameter does
 * @param aliases other spellings of the key that mean the same
 */
public record Parameter(String key, String value, String help, List<String> aliases) {
    public Parameter {
        aliases = List.copyOf(aliases);
    }

    public Parameter(String key, String value, String help) {
        this(key, value, help, List.of());
    }

    /** Whether {@code k} is this parameter's key or one of its aliases. */
    public boolean matches(String k) {
        return key.equals(k) || aliases.contains(k);
    }
}
