package io.nbd4j.server.backend;

import java.io.IOException;

/**
 * Each layer's answer to "which export does the empty name stand for?", for a connection. nbdkit asks
 * it of every layer that is opened with the empty name, so a filter that maps {@code ""} to
 * {@code ""} still opens the plugin's own default export; the connection's stack does the same.
 */
@FunctionalInterface
public interface DefaultExports {
    /** No substitution below the top: the empty name is passed down as it is. */
    DefaultExports NONE = index -> "";

    /**
     * The default export of layer {@code index} (0 is the outermost filter), or {@code null} when that
     * layer refuses the empty name.
     */
    String of(int index) throws IOException;
}
