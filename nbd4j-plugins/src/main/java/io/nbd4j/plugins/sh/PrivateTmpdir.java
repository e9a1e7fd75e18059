package io.nbd4j.plugins.sh;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The randomly named directory a script keeps its state in ({@code $tmpdir}): created mode 0700 when
 * the plugin is first configured and removed with everything in it when the plugin is unloaded.
 * Symbolic links inside are removed, never followed. Created and removed on the main thread.
 */
public final class PrivateTmpdir {
    private final Path path;

    private PrivateTmpdir(Path path) {
        this.path = path;
    }

    /** Creates a fresh directory under {@code java.io.tmpdir}; {@code prefix} names the plugin. */
    public static PrivateTmpdir create(String prefix) throws IOException {
        return new PrivateTmpdir(Files.createTempDirectory(prefix));
    }

    public Path path() {
        return path;
    }

    /** Removes the directory and its contents; what cannot be removed is left and reported. */
    public void delete() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #delete()}, logging rather than throwing, for unload paths that must not fail. */
    public void deleteQuietly() {
        try {
            delete();
        } catch (IOException e) {
            LoggerFactory.getLogger(PrivateTmpdir.class).warn("could not remove {}: {}", path, e.toString());
        }
    }
}
