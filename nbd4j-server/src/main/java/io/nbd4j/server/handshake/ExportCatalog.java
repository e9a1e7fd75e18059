package io.nbd4j.server.handshake;

import io.nbd4j.server.LayerStack;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Filter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The export list and the default export as one connection's client sees them: the plugin's answer
 * passed up through each filter, innermost first, each filter asking the layers beneath only if it needs
 * them.
 *
 * <p>Each layer's default export is asked at most once per connection, as nbdkit does (a script may
 * count its calls), and a layer's listing placeholder for it ({@link Export#defaultExport()}) is named
 * with that same answer before the layer above sees the list. A refusal ({@code null}) or a failure is
 * not kept, so it is asked again; after STARTTLS every layer is asked afresh.
 *
 * <p>Belongs to one connection and is called from its thread, except that the layers' default exports
 * may also be asked by a filter reopening the layers below it from a request thread: every method
 * holds this object's monitor.
 */
final class ExportCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ExportCatalog.class);

    private final LayerStack stack;
    /** Index 0 is the plugin, index k the k-th filter counted from the plugin; null where not known. */
    private final String[] defaults;
    private boolean defaultsAreForTls;

    ExportCatalog(LayerStack stack) {
        this.stack = stack;
        this.defaults = new String[stack.filters().size() + 1];
    }

    synchronized List<Export> list(boolean readOnly, boolean tls) throws IOException {
        return listAt(defaults.length - 1, readOnly, tls);
    }

    /** A filter asks the layers beneath only if it needs their list. */
    private List<Export> listAt(int layer, boolean readOnly, boolean tls) throws IOException {
        List<Export> exports = layer == 0
                ? stack.plugin().listExports(readOnly, tls)
                : filter(layer).listExportsLazily(readOnly, tls, () -> listAt(layer - 1, readOnly, tls));
        return nameDefault(exports, layer, readOnly, tls);
    }

    /** The name that {@code ""} stands for, or {@code null} when the default export is refused. */
    synchronized String defaultExport(boolean readOnly, boolean tls) throws IOException {
        return defaultAt(defaults.length - 1, readOnly, tls);
    }

    /** The default export of one layer, {@code outermostIndex} 0 being the outermost filter. */
    synchronized String defaultExportOfLayer(int outermostIndex, boolean readOnly, boolean tls) throws IOException {
        return defaultAt(defaults.length - 1 - outermostIndex, readOnly, tls);
    }

    private String defaultAt(int layer, boolean readOnly, boolean tls) throws IOException {
        if (tls != defaultsAreForTls) {
            Arrays.fill(defaults, null);
            defaultsAreForTls = tls;
        }
        if (defaults[layer] == null) {
            defaults[layer] = layer == 0
                    ? stack.plugin().defaultExport(readOnly, tls)
                    : filter(layer).defaultExportLazily(readOnly, tls, () -> defaultAt(layer - 1, readOnly, tls));
        }
        return defaults[layer];
    }

    /** Replaces the placeholder for the default export with its name, or drops it when there is none. */
    private List<Export> nameDefault(List<Export> exports, int layer, boolean readOnly, boolean tls) {
        if (exports.stream().noneMatch(Export::defaultPlaceholder)) {
            return exports;
        }
        List<Export> named = new ArrayList<>(exports.size());
        for (Export export : exports) {
            if (!export.defaultPlaceholder()) {
                named.add(export);
                continue;
            }
            try {
                String name = defaultAt(layer, readOnly, tls);
                if (name != null) {
                    named.add(new Export(name, export.description()));
                }
            } catch (IOException e) {
                // nbdkit lists the others rather than failing the whole listing.
                LOG.debug("finding the default export for the list failed, leaving it out: {}", e.getMessage());
            }
        }
        return named;
    }

    private Filter filter(int layer) {
        List<Filter> outermostFirst = stack.filters();
        return outermostFirst.get(outermostFirst.size() - layer);
    }
}
