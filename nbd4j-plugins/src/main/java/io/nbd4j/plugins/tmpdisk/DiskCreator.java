package io.nbd4j.plugins.tmpdisk;

import io.nbd4j.plugins.common.DiskCommand;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Makes one connection's disk: a private directory under the temporary directory, and in it
 * {@code disk}, made by the plugin's {@link DiskCommand} (mkfs, or the user's {@code command=}).
 *
 * <p>Threads: immutable; {@link #create} may run on many connection threads at once, each with its own
 * directory.
 */
final class DiskCreator {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCreator.class);

    private final Path base;
    private final DiskCommand command;

    /**
     * @param base    where the private directories go
     * @param command what creates {@code $disk}
     */
    DiskCreator(Path base, DiskCommand command) {
        this.base = base;
        this.command = command;
    }

    /** A created disk; {@link #delete()} removes it and its directory. */
    record Created(Path directory, Path disk) {
        void delete() {
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.warn("tmpdisk: could not remove {}: {}", directory, e.toString());
            }
        }
    }

    Created create() throws IOException {
        Path directory = Files.createTempDirectory(base, "nbd4j-tmpdisk-");
        Created created = new Created(directory, directory.resolve("disk"));
        try {
            command.create(created.disk());
            if (!Files.isRegularFile(created.disk())) {
                throw new NbdException(NbdError.EIO, "tmpdisk: command= did not create a regular file at $disk");
            }
            return created;
        } catch (IOException | RuntimeException e) {
            created.delete();
            throw e;
        }
    }
}
