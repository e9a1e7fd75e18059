package io.nbd4j.server;

import io.nbd4j.spi.ClientInfo;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin and its filters, in serving order, and their server-wide lifecycle: routing of
 * {@code key=value} parameters, {@code configComplete}, the effective thread model, {@code getReady}
 * and {@code unload}.
 *
 * <p>Filters are held outermost first: {@code --filter=A --filter=B plugin} gives {@code [A, B]}. A
 * parameter goes to the outermost layer that declares its key, else to the plugin; the plugin may
 * also accept keys it does not declare. Bare words (not {@code key=value}) become the plugin's magic
 * key, or {@code script} for a plugin without one, as in nbdkit.
 *
 * <p>Called from the main thread only, but for {@link #preconnect}, which each connection's thread calls.
 */
public final class LayerStack {
    private final List<Filter> filters;
    private final Plugin plugin;
    private boolean sawBareWord;
    private ThreadModel threadModel;

    public LayerStack(List<Filter> filtersOutermostFirst, Plugin plugin) {
        this.filters = List.copyOf(filtersOutermostFirst);
        this.plugin = plugin;
    }

    public Plugin plugin() {
        return plugin;
    }

    /** The filters, outermost first. */
    public List<Filter> filters() {
        return filters;
    }

    /**
     * Whether a command-line word is a {@code key=value} parameter rather than a bare word: the part
     * before the first {@code =} is an ASCII letter followed by ASCII letters, digits, {@code .},
     * {@code _} or {@code -}. Checked without a regular expression: every start asks it, and compiling
     * one is a start's first use of {@code java.util.regex}, ~1 ms of interpreted work.
     */
    public static boolean isKeyValue(String word) {
        int eq = word.indexOf('=');
        if (eq <= 0 || !isAsciiLetter(word.charAt(0))) {
            return false;
        }
        for (int i = 1; i < eq; i++) {
            char c = word.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Feeds one command-line word: {@code key=value}, or a bare word for the magic key. */
    public void configWord(String word) throws ConfigException {
        if (isKeyValue(word)) {
            int eq = word.indexOf('=');
            config(word.substring(0, eq), word.substring(eq + 1));
            return;
        }
        String magic = plugin.magicConfigKey();
        if (magic == null) {
            if (sawBareWord) {
                throw new ConfigException(plugin.name() + ": expecting key=value on the command line but got: " + word);
            }
            sawBareWord = true;
            config("script", word);
        } else {
            config(magic, word);
        }
    }

    /** Gives {@code key=value} to the outermost layer that claims it. */
    public void config(String key, String value) throws ConfigException {
        for (Filter f : filters) {
            if (declares(f, key)) {
                f.config(key, value);
                return;
            }
        }
        if (declares(plugin, key) || plugin.acceptsUndeclaredKeys()) {
            plugin.config(key, value);
            return;
        }
        throw new ConfigException(plugin.name() + ": unknown parameter '" + key + "'"
                + acceptedKeys());
    }

    private String acceptedKeys() {
        List<String> keys = new ArrayList<>();
        for (Filter f : filters) {
            f.parameters().forEach(p -> keys.add(p.key()));
        }
        plugin.parameters().forEach(p -> keys.add(p.key()));
        return keys.isEmpty() ? " (it takes no parameters)" : " (accepted: " + String.join(", ", keys) + ")";
    }

    private static boolean declares(Layer layer, String key) {
        for (Parameter p : layer.parameters()) {
            if (p.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code configComplete} on the plugin, then on the filters from innermost to outermost. */
    public void configComplete() throws ConfigException {
        plugin.configComplete();
        for (int i = filters.size() - 1; i >= 0; i--) {
            filters.get(i).configComplete();
        }
    }

    /** The strictest thread model of all layers; valid after {@link #configComplete()}. */
    public ThreadModel threadModel() {
        if (threadModel == null) {
            ThreadModel m = plugin.threadModel();
            for (Filter f : filters) {
                m = m.min(f.threadModel());
            }
            threadModel = m;
        }
        return threadModel;
    }

    /** Runs {@code getReady} on the plugin, then on the filters from innermost to outermost. */
    public void getReady() throws Exception {
        ThreadModel m = threadModel();
        for (Layer layer : innermostFirst()) {
            layer.getReady(m);
        }
    }

    /** Runs {@code afterStart} on the plugin, then on the filters from innermost to outermost. */
    public void afterStart(ServerControl server) throws Exception {
        for (Layer layer : innermostFirst()) {
            layer.afterStart(server);
        }
    }

    /**
     * Asks every layer whether {@code client} may connect: the outermost filter first, the plugin
     * last. The first layer that throws refuses the client; the layers after it are not asked.
     */
    public void preconnect(ClientInfo client, boolean readOnly) throws IOException {
        for (Filter f : filters) {
            f.preconnect(client, readOnly);
        }
        plugin.preconnect(client, readOnly);
    }

    /** Runs {@code unload} on the plugin, then the filters from innermost to outermost; never throws. */
    public void unload() {
        for (Layer layer : innermostFirst()) {
            runQuietly(layer);
        }
    }

    private List<Layer> innermostFirst() {
        List<Layer> layers = new ArrayList<>(filters.size() + 1);
        layers.add(plugin);
        layers.addAll(filters.reversed());
        return layers;
    }

    private static void runQuietly(Layer layer) {
        try {
            layer.unload();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LayerStack.class).warn("{}: unload failed: {}", layer.name(), e.toString());
        }
    }
}
