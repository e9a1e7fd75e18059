package io.nbd4j.cli;

import io.nbd4j.server.LayerStack;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code --help}, {@code PLUGIN --help} and {@code --dump-plugin}, all generated from the layers' declarations. */
final class Help {
    /** Where descriptions start in the option list of {@code --help}. */
    private static final int HELP_COLUMN = 29;

    private Help() {}

    /** Option lines: the names (short first) with the value's label, then the description in a column. */
    static void printUsage(PrintStream out) {
        out.println("Usage: nbd4j [OPTIONS] [--filter=FILTER ...] PLUGIN [KEY=VALUE ...] [--run 'CMD']");
        out.println();
        out.println("Serve a block device over the Network Block Device protocol.");
        out.println("PLUGIN is a plugin's name or the path of a .jar; KEY=VALUE are its parameters.");
        out.println();
        for (CliOption option : CliOptions.TABLE) {
            if (option.hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            if (option.shortName() != 0) {
                names.add("-" + option.shortName());
            }
            option.longNames().forEach(n -> names.add("--" + n));
            String synopsis = (option.shortName() != 0 ? "  " : "      ") + String.join(", ", names)
                    + (option.takesValue() ? "=" + option.argLabel() : "");
            if (synopsis.length() > HELP_COLUMN - 2) {
                out.println(synopsis);
                out.println(" ".repeat(HELP_COLUMN) + option.description());
            } else {
                out.println(synopsis + " ".repeat(HELP_COLUMN - synopsis.length()) + option.description());
            }
        }
        out.println();
        out.println("Plugins: " + String.join(", ", LayerLoader.names(Plugin.class)));
        out.println("Filters: " + String.join(", ", LayerLoader.names(Filter.class)));
    }

    static void printLayers(Plugin plugin, List<Filter> filters, PrintStream out) {
        for (Filter f : filters) {
            printLayer(f, "filter", out);
        }
        printLayer(plugin, "plugin", out);
        if (plugin.magicConfigKey() != null) {
            out.println("  (a bare word on the command line means " + plugin.magicConfigKey() + "=WORD)");
        }
    }

    private static void printLayer(Layer layer, String kind, PrintStream out) {
        out.println();
        out.println(layer.name() + " " + kind + " " + layer.version() + ": " + layer.description());
        for (Parameter p : layer.parameters()) {
            String key = p.key() + "=" + p.value();
            out.printf("  %-34s %s%n", key, p.help());
            for (String alias : p.aliases()) {
                out.printf("  %-34s (alias of %s)%n", alias + "=" + p.value(), p.key());
            }
        }
    }

    /**
     * {@code --long-options} or {@code --short-options}: every option of that kind that {@code --help}
     * shows, one a line, as nbdkit lists them for shell completion.
     */
    static void listOptions(boolean longNames, PrintStream out) {
        for (CliOption option : CliOptions.TABLE) {
            if (option.hidden()) {
                continue;
            }
            if (longNames) {
                option.longNames().forEach(n -> out.println("--" + n));
            } else if (option.shortName() != 0) {
                out.println("-" + option.shortName());
            }
        }
    }

    static void dumpPlugin(LayerStack stack, PrintStream out) {
        Plugin plugin = stack.plugin();
        out.println("name=" + plugin.name());
        out.println("version=" + plugin.version());
        out.println("class=" + plugin.getClass().getName());
        ThreadModel max = plugin.threadModel();
        out.println("max_thread_model=" + max.nbdkitName());
        ThreadModel effective = max;
        for (Filter f : stack.filters()) {
            effective = effective.min(f.threadModel());
        }
        out.println("thread_model=" + effective.nbdkitName());
        if (plugin.magicConfigKey() != null) {
            out.println("magic_config_key=" + plugin.magicConfigKey());
        }
        for (String callback : PluginCallbacks.definedBy(plugin)) {
            out.println("has_" + callback + "=1");
        }
        for (Map.Entry<String, String> e : plugin.dump().entrySet()) {
            out.println(e.getKey() + "=" + e.getValue());
        }
    }
}
