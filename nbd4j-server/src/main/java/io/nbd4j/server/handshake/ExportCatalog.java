package io.nbd4j.server.handshake;

import io.nbd4j.server.LayerStack;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Filter;

import java.io.IOException;
import java.util.List;

/**
 * The export list and the default export as the client sees them: the plugin's answer passed up
 * through each filter, innermost first.
 *
 * <p>Stateless; called from connection threads.
 */
final class ExportCatalog {
    private final LayerStack stack;

    ExportCatalog(LayerStack stack) {
        this.stack = stack;
    }

    List<Export> list(boolean readOnly, boolean tls) throws IOException {
        List<Export> exports = stack.plugin().listExports(readOnly, tls);
        List<Filter> filters = stack.filters();
        for (int i = filters.size() - 1; i >= 0; i--) {
            exports = filters.get(i).listExports(readOnly, tls, exports);
        }
        return exports;
    }

    /** The name that {@code ""} stands for, or {@code null} when the default export is refused. */
    String defaultExport(boolean readOnly, boolean tls) throws IOException {
        String name = stack.plugin().defaultExport(readOnly, tls);
        List<Filter> filters = stack.filters();
        for (int i = filters.size() - 1; i >= 0; i--) {
            name = filters.get(i).defaultExport(readOnly, tls, name);
        }
        return name;
    }
}
