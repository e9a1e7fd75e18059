package io.nbd4j.spi;

import java.io.IOException;
import java.util.List;

/**
 * The source of an export's bytes. Built-in and third-party plugins are found with
 * {@link java.util.ServiceLoader}: list the class in {@code META-INF/services/io.nbd4j.spi.Plugin}
 * and give it a public no-argument constructor. One instance serves the whole server.
 */
public interface Plugin extends Layer {
    /**
     * The key a bare command-line word is given ({@code memory 1G} means {@code size=1G}), or
     * {@code null}, in which case the first bare word is {@code script=}.
     */
    default String magicConfigKey() {
        return null;
    }

    /** The exports {@code NBD_OPT_LIST} shows; by default the single default export ({@link Export#defaultExport()}). */
    default List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        return List.of(Export.defaultExport());
    }

    /** The name that the empty export name stands for, or {@code null} to refuse the empty name. */
    default String defaultExport(boolean readOnly, boolean tls) throws IOException {
        return "";
    }

    /**
     * {@inheritDoc}
     *
     * <p>For a plugin this calls {@link #preconnect(boolean)}, so a plugin that does not care who the
     * client is overrides that simpler form.
     */
    @Override
    default void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        preconnect(readOnly);
    }

    /**
     * The simple form of {@link #preconnect(ClientInfo, boolean)}: called for each client connection
     * before the handshake starts, so a plugin can turn a client away early; throw
     * {@link NbdException} to drop the connection. {@code readOnly} is the server's {@code -r}.
     */
    default void preconnect(boolean readOnly) throws IOException {}

    /** Opens the export for one connection; throw {@link NbdException} to refuse it. */
    Handle open(OpenRequest request) throws IOException;
}
