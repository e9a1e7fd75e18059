package io.nbd4j.cli;

import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The server-wide callbacks a plugin defines itself, under nbdkit's names, for the {@code has_NAME=1}
 * lines of {@code --dump-plugin}. A method the plugin class (or a superclass) overrides counts; one it
 * inherits from the SPI's default does not. The data callbacks belong to the handles a plugin opens,
 * which {@code --dump-plugin} never sees, so they are not listed.
 */
final class PluginCallbacks {
    private record Callback(String nbdkitName, String method, Class<?>... parameters) {}

    /** In the order nbdkit prints them. */
    private static final List<Callback> CALLBACKS = List.of(
            new Callback("unload", "unload"),
            new Callback("dump_plugin", "dump"),
            new Callback("config", "config", String.class, String.class),
            new Callback("config_complete", "configComplete"),
            new Callback("config_help", "parameters"),
            new Callback("thread_model", "threadModel"),
            new Callback("get_ready", "getReady", ThreadModel.class),
            new Callback("preconnect", "preconnect", boolean.class),
            new Callback("list_exports", "listExports", boolean.class, boolean.class),
            new Callback("default_export", "defaultExport", boolean.class, boolean.class),
            new Callback("open", "open", OpenRequest.class));

    private PluginCallbacks() {}

    static List<String> definedBy(Plugin plugin) {
        List<String> defined = new ArrayList<>();
        for (Callback c : CALLBACKS) {
            try {
                if (!plugin.getClass().getMethod(c.method(), c.parameters()).getDeclaringClass().isInterface()) {
                    defined.add(c.nbdkitName());
                }
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the SPI has no method " + c.method(), e);
            }
        }
        return defined;
    }
}
