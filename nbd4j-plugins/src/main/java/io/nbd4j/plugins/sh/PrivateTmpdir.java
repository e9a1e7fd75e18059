package io.nbd4j.plugins.sh;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The randomly named directory a script keeps its state in ({@code $tmpdir}): created mode 0700 when
 * the plugin is first configured and removed with everything in it when the plugin is unloaded.
 * Symbolic links inside are removed, never followed. Created and removed on the main thread.
 */
public final class PrivateTmpdir {
    private static final Set<PosixFilePermission> OWNER_READ_EXECUTE = PosixFilePermissions.fromString("r-x------");

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

    /**
     * Saves {@code content} as the file {@code name} in this directory, replacing any file of that name,
     * readable and runnable by the owner only ({@code r-x------}), so it can be run as a script.
     */
    public Path saveScript(String name, byte[] content) throws IOException {
        Path file = path.resolve(name);
        // A script saved before is read-only: replace it rather than write through it.
        Files.deleteIfExists(file);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, OWNER_READ_EXECUTE);
        return file;
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
