package io.nbd4j.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The server commands the interop tests drive: our {@code ./nbd4j} launcher and the reference {@code nbdkit}.
 * Both take the same command line, so a test is written once and runs against either. The system property
 * {@code interop.servers} (default {@code nbd4j,nbdkit}) chooses which ones run. Immutable; safe from any thread.
 */
enum Server {
    NBD4J("nbd4j"),
    NBDKIT("nbdkit");

    static final String SELECTION_PROPERTY = "interop.servers";

    private final String displayName;

    Server(String displayName) {
        this.displayName = displayName;
    }

    /** The program and any fixed leading arguments; the caller appends the nbdkit-style command line. */
    List<String> command() {
        return switch (this) {
            case NBD4J -> List.of(RepositoryRoot.find().resolve("nbd4j").toString());
            case NBDKIT -> List.of("nbdkit");
        };
    }

    /** {@code command()} followed by {@code args}. */
    List<String> command(List<String> args) {
        return Stream.concat(command().stream(), args.stream()).toList();
    }

    /** The servers chosen by {@code interop.servers}; the source of every {@link ServerTest}. */
    static Stream<Server> selected() {
        String property = System.getProperty(SELECTION_PROPERTY, "nbd4j,nbdkit");
        return Arrays.stream(property.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Server::named)
                .distinct();
    }

    static boolean nbd4jSelected() {
        return selected().anyMatch(s -> s == NBD4J);
    }

    static boolean bothSelected() {
        return selected().count() == 2;
    }

    private static Server named(String name) {
        for (Server s : values()) {
            if (s.displayName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException(SELECTION_PROPERTY + ": unknown server '" + name
                + "' (expected a comma-separated list of: nbd4j, nbdkit)");
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** Locates the repository root, the directory holding the {@code nbd4j} launcher. */
    static final class RepositoryRoot {
        static final String PROPERTY = "nbd4j.root";

        private RepositoryRoot() {}

        static Path find() {
            String configured = System.getProperty(PROPERTY);
            if (configured != null && hasLauncher(Path.of(configured))) {
                return Path.of(configured).toAbsolutePath();
            }
            // Surefire runs in the module directory; an IDE may run anywhere below the root.
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (hasLauncher(dir)) {
                    return dir;
                }
            }
            throw new IllegalStateException("cannot find the nbd4j launcher: set -D" + PROPERTY
                    + "=<repository root> (was " + configured + ") or run from inside the repository");
        }

        private static boolean hasLauncher(Path dir) {
            return Files.isExecutable(dir.resolve("nbd4j")) && Files.isRegularFile(dir.resolve("nbd4j"));
        }
    }
}
