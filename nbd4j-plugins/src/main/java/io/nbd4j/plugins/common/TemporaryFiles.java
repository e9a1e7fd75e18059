package io.nbd4j.plugins.common;

import java.nio.file.Path;

/**
 * Where plugins put large temporary files (disk images): {@code $TMPDIR}, else {@code /var/tmp}, which
 * unlike {@code /tmp} is usually on disk rather than in memory. nbdkit's plugins use the same place.
 * Stateless.
 */
public final class TemporaryFiles {
    private TemporaryFiles() {}

    public static Path directory() {
        String tmpdir = System.getenv("TMPDIR");
        return Path.of(tmpdir == null || tmpdir.isEmpty() ? "/var/tmp" : tmpdir);
    }
}
