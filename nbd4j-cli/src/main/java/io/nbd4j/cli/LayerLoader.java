package io.nbd4j.cli;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Layer;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds plugins and filters: built-ins by name, third-party ones from a {@code .jar} path, both through
 * {@link ServiceLoader} — the JVM counterpart of nbdkit's {@code .so} files.
 */
final class LayerLoader {
    private LayerLoader() {}

    static Plugin plugin(String nameOrJar) throws ConfigException {
        return find(Plugin.class, nameOrJar, "plugin");
    }

    static Filter filter(String nameOrJar) throws ConfigException {
        return find(Filter.class, nameOrJar, "filter");
    }

    static List<String> builtinNames(Class<? extends Layer> type) {
        TreeSet<String> names = new TreeSet<>();
        ServiceLoader.load(type, LayerLoader.class.getClassLoader()).forEach(l -> names.add(l.name()));
        return new ArrayList<>(names);
    }

    private static <T extends Layer> T find(Class<T> type, String nameOrJar, String kind) throws ConfigException {
        if (nameOrJar.endsWith(".jar")) {
            return fromJar(type, Path.of(nameOrJar), kind);
        }
        for (T layer : ServiceLoader.load(type, LayerLoader.class.getClassLoader())) {
            if (layer.name().equals(nameOrJar)) {
                return layer;
            }
        }
        throw new ConfigException("unknown " + kind + " '" + nameOrJar + "' (built-in " + kind + "s: "
                + String.join(", ", builtinNames(type)) + "; or give the path of a .jar)");
    }

    private static <T extends Layer> T fromJar(Class<T> type, Path jar, String kind) throws ConfigException {
        if (!Files.isRegularFile(jar)) {
            throw new ConfigException(kind + " jar not found: " + jar);
        }
        URL url;
        try {
            url = jar.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new ConfigException("bad " + kind + " jar path: " + jar, e);
        }
        // The loader stays open for the life of the server: the layer's classes are loaded lazily from it.
        URLClassLoader loader = new URLClassLoader(new URL[] {url}, LayerLoader.class.getClassLoader());
        List<T> found = new ArrayList<>();
        for (T layer : ServiceLoader.load(type, loader)) {
            if (layer.getClass().getClassLoader() == loader) {
                found.add(layer);
            }
        }
        if (found.size() != 1) {
            closeQuietly(loader);
            throw new ConfigException(jar + ": expected exactly one " + kind + " registered in META-INF/services/"
                    + type.getName() + ", found " + found.size());
        }
        return found.getFirst();
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Nothing was loaded from it; the failure to close changes nothing for the user.
        }
    }
}
