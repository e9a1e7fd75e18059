package io.nbd4j.spi;

import java.util.List;
import java.util.Map;

/**
 * What plugins and filters have in common: a name, declared parameters, and the server-wide
 * lifecycle. Calls come from the main thread, in order: {@link #config} for each parameter,
 * {@link #configComplete}, {@link #getReady}, then connections, then {@link #unload} at exit.
 */
public interface Layer {
    /** The short name users type: {@code memory}, {@code multi-conn}. */
    String name();

    /** One line for {@code --help}. */
    String description();

    default String version() {
        return "1.0";
    }

    /** Every {@code key=value} parameter the layer accepts. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Whether the layer accepts keys it has not declared (the sh plugin passes any key to its script). */
    default boolean acceptsUndeclaredKeys() {
        return false;
    }

    /** Called once for each parameter claimed by this layer, in command-line order. */
    default void config(String key, String value) throws ConfigException {
        throw new ConfigException(name() + ": unknown parameter '" + key + "'");
    }

    /** Called once after every parameter was seen: check the required ones here. */
    default void configComplete() throws ConfigException {}

    /** The most concurrency the layer tolerates. */
    default ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    /** Last setup before serving, once the effective thread model is known. */
    default void getReady(ThreadModel effective) throws Exception {}

    /** Called when the server stops, after every connection is closed. */
    default void unload() {}

    /** Extra {@code key=value} lines for {@code --dump-plugin}. */
    default Map<String, String> dump() {
        return Map.of();
    }
}
