package io.nbd4j.plugins.file;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a file impossible to open for writing for as long as it is open: by permissions for ordinary
 * users, by the immutable attribute for root (who ignores permissions).
 */
final class ReadOnlyFile implements AutoCloseable {
    private final Path path;
    private final boolean immutable;

    private ReadOnlyFile(Path path, boolean immutable) {
        this.path = path;
        this.immutable = immutable;
    }

    static ReadOnlyFile make(Path path) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r--r--r--"));
            return new ReadOnlyFile(path, false);
        }
        int rc = new ProcessBuilder("chattr", "+i", path.toString()).inheritIO().start().waitFor();
        Assumptions.assumeTrue(rc == 0, "root without CAP_LINUX_IMMUTABLE cannot make a file unwritable");
        return new ReadOnlyFile(path, true);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (immutable) {
            new ProcessBuilder("chattr", "-i", path.toString()).inheritIO().start().waitFor();
        } else {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
