package io.nbd4j.spi;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What plugins and filters have in common: a name, declared parameters, and the server-wide
 * lifecycle. Calls come from the main thread, in order: {@link #config} for each parameter,
 * {@link #configComplete}, {@link #getReady}, {@link #afterStart} once the server listens, then
 * connections ({@link #preconnect} for each, then the handshake), then {@link #unload} at exit.
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

    /**
     * Called once when the server is listening, before it accepts the first client, with the handle
     * through which the layer may later ask the server to stop (keep it, e.g. for a thread that watches
     * for an event). Called for the plugin first, then the filters from innermost to outermost, on
     * the thread that starts the server. Throwing stops the server from starting.
     */
    default void afterStart(ServerControl server) throws Exception {}

    /**
     * Called for each client connection as soon as it is accepted, before the handshake and before
     * TLS (nbdkit's {@code .preconnect}): the place for access control by address or peer
     * credentials. Throwing (usually {@link NbdException}) drops the client, and no later layer is
     * asked. The server asks the outermost filter first, then the next one in, and the plugin last.
     * Runs on the connection's thread; it should be quick, since an unauthenticated client is waiting.
     *
     * @param client   who connected
     * @param readOnly the server's {@code -r}
     */
    default void preconnect(ClientInfo client, boolean readOnly) throws IOException {}

    /** Called when the server stops, after every connection is closed. */
    default void unload() {}

    /** Extra {@code key=value} lines for {@code --dump-plugin}. */
    default Map<String, String> dump() {
        return Map.of();
    }
}
