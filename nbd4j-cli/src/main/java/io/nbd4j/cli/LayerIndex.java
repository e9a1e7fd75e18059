package io.nbd4j.cli;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Layer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds a built-in layer by name without making the others. The {@code META-INF/services} files of the
 * built-in layers name each class's layer in a trailing comment ({@code io.nbd4j.plugins.memory.MemoryPlugin # memory}),
 * which {@link java.util.ServiceLoader} ignores; reading those files and making the one class named
 * saves a captive start the instantiation (class initialisation, loggers, verification of classes the
 * AOT cache does not hold) of every layer listed before it, about 10 ms of a 100 ms start. A line
 * without a name comment is simply not indexed: the caller then falls back to a full
 * {@code ServiceLoader} scan. A test checks that every comment says what the class's {@code name()} says.
 *
 * <p>For the application class loader the files are read straight from the class path's jars and
 * directories. {@link ClassLoader#getResources} would ask the platform and boot loaders first, and they
 * look for a {@code META-INF} name in every module of the runtime image: the first such lookup of a JVM
 * opens the image's reader and took 3-5 ms of a captive start's main thread, for files that are never there.
 * Those jars stay open for the life of the JVM, as the class loader keeps them: the JDK shares one parsed
 * central directory among the open handles of a file, so the class loader's own opening of the jar
 * (its first service lookup) does not parse the main jar's 1,300 entries a second time.
 *
 * <p>Threads: thread-safe; its only state is the map of the class path's open jars.
 */
final class LayerIndex {
    /** The class path's jars, opened once and never closed (see above). */
    private static final ConcurrentHashMap<Path, ZipFile> CLASS_PATH_JARS = new ConcurrentHashMap<>();

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
        if (loader == ClassLoader.getSystemClassLoader()) {
            Optional<String> found = classNamedOnClassPath(type, name, classPath(), true);
            if (found.isPresent()) {
                return found;
            }
        }
        try {
            Enumeration<URL> files = loader.getResources(servicesFile(type));
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                try (InputStream in = file.openStream()) {
                    Optional<String> found = search(in, name);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable index is no index: the ServiceLoader scan decides, and reports real problems.
        }
        return Optional.empty();
    }

    /**
     * As {@link #classNamed}, reading only the services files in these class path entries (jars or
     * directories), in their order; an entry that is missing or unreadable is passed over.
     */
    static Optional<String> classNamedOnClassPath(Class<? extends Layer> type, String name, List<Path> entries) {
        return classNamedOnClassPath(type, name, entries, false);
    }

    /** {@code keepOpen}: whether the jars stay open for the life of the JVM (the class path's) or are closed. */
    private static Optional<String> classNamedOnClassPath(Class<? extends Layer> type, String name, List<Path> entries,
                                                         boolean keepOpen) {
        String file = servicesFile(type);
        for (Path entry : entries) {
            try {
                Optional<String> found;
                if (Files.isDirectory(entry)) {
                    found = searchDirectory(entry.resolve(file), name);
                } else if (keepOpen) {
                    found = searchJar(openForGood(entry), file, name);
                } else {
                    try (ZipFile zip = new ZipFile(entry.toFile())) {
                        found = searchJar(zip, file, name);
                    }
                }
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                // As for getResources: this entry has no readable index; the others and the fallbacks decide.
            }
        }
        return Optional.empty();
    }

    private static List<Path> classPath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    private static String servicesFile(Class<? extends Layer> type) {
        return "META-INF/services/" + type.getName();
    }

    private static Optional<String> searchDirectory(Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return search(in, name);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static ZipFile openForGood(Path jar) throws IOException {
        ZipFile open = CLASS_PATH_JARS.get(jar);
        if (open == null) {
            ZipFile opened = new ZipFile(jar.toFile());
            open = CLASS_PATH_JARS.putIfAbsent(jar, opened);
            if (open == null) {
                open = opened;
            } else {
                opened.close();
            }
        }
        return open;
    }

    private static Optional<String> searchJar(ZipFile zip, String file, String name) throws IOException {
        ZipEntry entry = zip.getEntry(file);
        if (entry == null) {
            return Optional.empty();
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return search(in, name);
        }
    }

    private static Optional<String> search(InputStream file, String name) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(file, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int hash = line.indexOf('#');
            if (hash > 0 && line.substring(hash + 1).strip().equals(name)) {
                return Optional.of(line.substring(0, hash).strip());
            }
        }
        return Optional.empty();
    }
}
