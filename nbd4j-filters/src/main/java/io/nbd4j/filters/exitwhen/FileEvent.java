package io.nbd4j.filters.exitwhen;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code exit-when-file-created=} (the file can be read) and {@code exit-when-file-deleted=} (the file is
 * certainly gone; a file that cannot be looked at because of permissions does not count as deleted).
 *
 * @param path    the file, made absolute when configured
 * @param created true to wait for its creation, false for its deletion
 */
record FileEvent(Path path, boolean created) implements Event {
    @Override
    public boolean happened() {
        return created ? Files.isReadable(path) : Files.notExists(path);
    }

    @Override
    public String describe() {
        return (created ? "exit-when-file-created=" : "exit-when-file-deleted=") + path;
    }
}
