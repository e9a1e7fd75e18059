package io.nbd4j.filters.exportname;

import io.nbd4j.filters.common.DeclaredFilter;
import io.nbd4j.filters.common.SameDataHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --filter=exportname}: changes the export list, the default export, which names clients may
 * open, and the descriptions. See the package documentation.
 *
 * <p><b>Threads.</b> Configured on the main thread; read-only afterwards, from any thread.
 */
public final class ExportNameFilter extends DeclaredFilter {
    private static final Parameter DEFAULT_EXPORT = new Parameter("default-export", "NAME",
            "the export a client asking for the default (\"\") gets", List.of("default_export"));
    private static final Parameter LIST = new Parameter("exportname-list", "keep|error|empty|defaultonly|explicit",
            "which exports a listing shows: the plugin's (keep, default), none with an error, none, "
                    + "the default export only, or those given with exportname=", List.of("exportname_list"));
    private static final Parameter STRICT = new Parameter("exportname-strict", "true|false",
            "refuse export names not given with exportname= (default false)", List.of("exportname_strict"));
    private static final Parameter EXPORTNAME = new Parameter("exportname", "NAME",
            "an export name to list (and, with exportname-strict, to allow); repeatable");
    private static final Parameter EXPORTDESC = new Parameter("exportdesc", "keep|none|fixed:STRING|script:SCRIPT",
            "the descriptions: the plugin's (keep, default), none, one string for all, or a shell script's "
                    + "output with $name set");

    private String defaultExport;
    private ListPolicy list = ListPolicy.KEEP;
    private boolean strict;
    private final Set<String> explicit = new LinkedHashSet<>();
    private Descriptions descriptions = Descriptions.KEEP;

    public ExportNameFilter() {
        super("exportname", "change the export list, default export and descriptions",
                DEFAULT_EXPORT, LIST, STRICT, EXPORTNAME, EXPORTDESC);
    }

    @Override
    protected void configure(Parameter parameter, String value) throws ConfigException {
        if (parameter == DEFAULT_EXPORT) {
            defaultExport = value;
        } else if (parameter == LIST) {
            list = ListPolicy.parse(parameter.key(), value);
        } else if (parameter == STRICT) {
            strict = Values.parseBool(parameter.key(), value);
        } else if (parameter == EXPORTNAME) {
            explicit.add(value);
        } else {
            descriptions = Descriptions.parse(parameter.key(), value);
        }
    }

    @Override
    public List<Export> listExports(boolean readOnly, boolean tls, List<Export> below) throws IOException {
        List<Export> source = switch (list) {
            case KEEP -> below;
            case ERROR -> throw new NbdException(NbdError.EPERM, "exportname: the export list is not shown (exportname-list=error)");
            case EMPTY -> List.of();
            case DEFAULT_ONLY -> List.of(Export.defaultExport());
            case EXPLICIT -> explicit.stream().map(Export::new).toList();
        };
        if (list == ListPolicy.DEFAULT_ONLY) {
            return source;
        }
        List<Export> described = new ArrayList<>(source.size());
        for (Export e : source) {
            described.add(new Export(e.name(), descriptions.describe(e.name(), e.description())));
        }
        return described;
    }

    /**
     * When strict, the default export is allowed only if the empty name was listed with
     * {@code exportname=}; it is then {@code default-export} or the empty name itself.
     */
    @Override
    public String defaultExport(boolean readOnly, boolean tls, String below) {
        if (strict) {
            return explicit.contains("") ? (defaultExport != null ? defaultExport : "") : null;
        }
        return defaultExport != null ? defaultExport : below;
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        String name = request.exportName();
        if (strict && !explicit.contains(name)) {
            throw new NbdException(NbdError.EINVAL, "exportname: export '" + name + "' not found (exportname-strict is on)");
        }
        return new SameDataHandle(below.open(request)) {
            @Override
            public String description() throws IOException {
                String plugin = descriptions.keepsPluginDescription() ? next.description() : null;
                return descriptions.describe(name, plugin);
            }
        };
    }
}
