package io.nbd4j.plugins.nbd;

import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

/** Makes configured, ready nbd plugins and the open requests the server would pass them. */
final class Proxies {
    private Proxies() {}

    /** An nbd plugin configured with {@code key=value} words and made ready (shared mode connects here). */
    static NbdPlugin ready(String... parameters) throws Exception {
        NbdPlugin plugin = configured(parameters);
        plugin.getReady(ThreadModel.PARALLEL);
        return plugin;
    }

    static NbdPlugin configured(String... parameters) throws Exception {
        NbdPlugin plugin = new NbdPlugin();
        for (String word : parameters) {
            int equals = word.indexOf('=');
            plugin.config(word.substring(0, equals), word.substring(equals + 1));
        }
        plugin.configComplete();
        return plugin;
    }

    static OpenRequest open(String exportName) {
        return new OpenRequest(exportName, false, false, 1, ThreadModel.PARALLEL, false);
    }
}
