package io.nbd4j.plugins.sh;

import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test helpers: executable scripts on disk and the open request a plain client makes. */
public final class Scripts {
    private Scripts() {}

    /** Writes {@code body} as an executable file. */
    public static Path executable(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** A /bin/sh script whose body is a {@code case "$1"} over methods; anything else exits 2. */
    public static Path caseScript(Path dir, String cases) throws IOException {
        return executable(dir, "plugin.sh", "#!/bin/sh\ncase \"$1\" in\n" + cases + "\n  *) exit 2 ;;\nesac\n");
    }

    /** A writable open of the default export over a plain connection. */
    public static OpenRequest openRequest() {
        return new OpenRequest("", false, false, 1, ThreadModel.SERIALIZE_ALL_REQUESTS, false);
    }
}
