package io.nbd4j.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plugins and filters that ship as jars of their own, because they bring heavy dependencies the core jar
 * must not carry (the AWS SDK, an SSH library). A layer named NAME is the file
 * {@code nbd4j-plugin-NAME.jar} (or {@code nbd4j-filter-NAME.jar}) in a plugin directory, so finding one
 * by name, or listing them all, reads directory entries and opens no jar. The directories, in order:
 * <ol>
 *   <li>those in the system property {@code nbd4j.plugin.path} (separated by {@code :}); the source
 *       tree's launcher lists each plugin module's {@code target/plugins} there;</li>
 *   <li>{@code plugins/} beside the main jar: an installed copy is {@code lib/nbd4j.jar} with
 *       {@code lib/plugins/*.jar}.</li>
 * </ol>
 * Each jar holds its layer and every dependency it needs beyond the SPI and SLF4J, which the server
 * provides; {@link LayerLoader} loads it in a class loader of its own.
 *
 * <p>Threads: stateless; the directories are read on each call.
 */
final class LayerJars {
    static final String PATH_PROPERTY = "nbd4j.plugin.path";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private LayerJars() {}

    /** The jar of the {@code kind} ("plugin" or "filter") called {@code name}, from the first directory that has one. */
    static Optional<Path> find(String kind, String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        for (Path dir : directories()) {
            Path jar = dir.resolve(fileName(kind, name));
            if (Files.isRegularFile(jar)) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }

    /** The names of every {@code kind} found in the plugin directories, sorted. */
    static List<String> names(String kind) {
        Pattern file = Pattern.compile("nbd4j-" + kind + "-(" + NAME.pattern() + ")\\.jar");
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : directories()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "nbd4j-" + kind + "-*.jar")) {
                for (Path entry : entries) {
                    Matcher m = file.matcher(entry.getFileName().toString());
                    if (m.matches() && Files.isRegularFile(entry)) {
                        names.add(m.group(1));
                    }
                }
            } catch (IOException unreadable) {
                // A missing or unreadable directory holds no plugins; the others still count.
            }
        }
        return new ArrayList<>(names);
    }

    static String fileName(String kind, String name) {
        return "nbd4j-" + kind + "-" + name + ".jar";
    }

    static List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        String configured = System.getProperty(PATH_PROPERTY, "");
        for (String entry : configured.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        mainJar().ifPresent(jar -> dirs.add(jar.resolveSibling("plugins")));
        return dirs;
    }

    /** The jar this class was loaded from, when it was loaded from a jar. */
    private static Optional<Path> mainJar() {
        try {
            var source = LayerJars.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            return location.toString().endsWith(".jar") ? Optional.of(location.toAbsolutePath()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
