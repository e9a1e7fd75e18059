package io.nbd4j.spi;

import java.io.IOException;
import java.util.List;

/**
 * A layer between the client and the plugin. Found with {@link java.util.ServiceLoader} like a plugin
 * ({@code META-INF/services/io.nbd4j.spi.Filter}). One instance serves the whole server; per-connection
 * state belongs in the handle {@link #open} returns.
 */
public interface Filter extends Layer {
    /**
     * Opens this layer for one connection. The usual body is
     * {@code return new MyHandle(below.open(request));}. A filter may change the request it passes down.
     */
    default Handle open(OpenRequest request, NextOpener below) throws IOException {
        return new FilterHandle(below.open(request));
    }

    /** The export list as this filter shows it; {@code below} is the list of the layers beneath. */
    default List<Export> listExports(boolean readOnly, boolean tls, List<Export> below) throws IOException {
        return below;
    }

    /** The default export as this filter shows it; {@code below} is the answer of the layers beneath. */
    default String defaultExport(boolean readOnly, boolean tls, String below) throws IOException {
        return below;
    }

    /**
     * The export list as this filter shows it, for a filter that may answer without the layers beneath
     * (their script may fail, or must not be run, for that client): they are asked only when it calls
     * {@code below.get()}. By default they are asked and {@link #listExports(boolean, boolean, List)} decides.
     */
    default List<Export> listExportsLazily(boolean readOnly, boolean tls, BelowAnswer<List<Export>> below) throws IOException {
        return listExports(readOnly, tls, below.get());
    }

    /**
     * The default export as this filter shows it, the layers beneath asked only when it calls
     * {@code below.get()}. By default they are asked and {@link #defaultExport(boolean, boolean, String)} decides.
     */
    default String defaultExportLazily(boolean readOnly, boolean tls, BelowAnswer<String> below) throws IOException {
        return defaultExport(readOnly, tls, below.get());
    }
}
