package io.nbd4j.cli;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Layer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Optional;

/**
 * Finds a built-in layer by name without making the others. The {@code META-INF/services} files of the
 * built-in layers name each class's layer in a trailing comment ({@code io.nbd4j.plugins.memory.MemoryPlugin # memory}),
 * which {@link java.util.ServiceLoader} ignores; reading those files and making the one class named
 * saves a captive start the instantiation (class initialisation, loggers, verification of classes the
 * AOT cache does not hold) of every layer listed before it, about 10 ms of a 100 ms start. A line
 * without a name comment is simply not indexed: the caller then falls back to a full
 * {@code ServiceLoader} scan. A test checks that every comment says what the class's {@code name()} says.
 *
 * <p>Threads: stateless.
 */
final class LayerIndex {
    private LayerIndex() {}

    /** The built-in layer of {@code type} whose index comment is {@code name}, or empty if none is indexed so. */
    static <T extends Layer> Optional<T> find(Class<T> type, String name, ClassLoader loader) throws ConfigException {
        Optional<String> className = classNamed(type, name, loader);
        if (className.isEmpty()) {
            return Optional.empty();
        }
        try {
            Class<? extends T> layerClass = Class.forName(className.get(), true, loader).asSubclass(type);
            return Optional.of(layerClass.getConstructor().newInstance());
        } catch (InvocationTargetException e) {
            throw new ConfigException("cannot make the " + name + " layer: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException("cannot make the " + name + " layer: " + e, e);
        }
    }

    /** The class registered for {@code type} whose line carries the name comment {@code name}. */
    static Optional<String> classNamed(Class<? extends Layer> type, String name, ClassLoader loader) {
        try {
            Enumeration<URL> files = loader.getResources("META-INF/services/" + type.getName());
            while (files.hasMoreElements()) {
                Optional<String> found = search(files.nextElement(), name);
                if (found.isPresent()) {
                    return found;
                }
            }
        } catch (IOException e) {
            // An unreadable index is no index: the ServiceLoader scan decides, and reports real problems.
        }
        return Optional.empty();
    }

    private static Optional<String> search(URL file, String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int hash = line.indexOf('#');
                if (hash > 0 && line.substring(hash + 1).strip().equals(name)) {
                    return Optional.of(line.substring(0, hash).strip());
                }
            }
        }
        return Optional.empty();
    }
}
