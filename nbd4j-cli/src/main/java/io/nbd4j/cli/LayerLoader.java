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
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds plugins and filters: built-ins by name, then layers shipped as jars of their own by name
 * ({@link LayerJars}), and third-party ones from a {@code .jar} path, all through {@link ServiceLoader}
 * — the JVM counterpart of nbdkit's {@code .so} files. A jar's layer gets a class loader of its own whose
 * parent is the server's, so it shares the SPI and SLF4J with the server and nothing else with other jars.
 */
final class LayerLoader {
    private LayerLoader() {}

    static Plugin plugin(String nameOrJar) throws ConfigException {
        return find(Plugin.class, nameOrJar, "plugin");
    }

    static Filter filter(String nameOrJar) throws ConfigException {
        return find(Filter.class, nameOrJar, "filter");
    }

    /** Every name a user can type for this kind of layer: built-ins and jars in the plugin directories. */
    static List<String> names(Class<? extends Layer> type) {
        TreeSet<String> names = new TreeSet<>(builtinNames(type));
        names.addAll(LayerJars.names(kindOf(type)));
        return new ArrayList<>(names);
    }

    private static String kindOf(Class<? extends Layer> type) {
        return type == Plugin.class ? "plugin" : "filter";
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
        ClassLoader builtins = LayerLoader.class.getClassLoader();
        Optional<T> indexed = LayerIndex.find(type, nameOrJar, builtins);
        if (indexed.isPresent()) {
            return indexed.get();
        }
        for (T layer : ServiceLoader.load(type, builtins)) {
            if (layer.name().equals(nameOrJar)) {
                return layer;
            }
        }
        Optional<Path> shipped = LayerJars.find(kind, nameOrJar);
        if (shipped.isPresent()) {
            return fromJar(type, shipped.get(), kind);
        }
        throw new ConfigException("unknown " + kind + " '" + nameOrJar + "' (" + kind + "s: "
                + String.join(", ", names(type)) + "; or give the path of a .jar)");
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
