package io.nbd4j.plugins.ondemand;

import io.nbd4j.plugins.file.linux.ErrnoException;
import io.nbd4j.plugins.file.linux.Linux;
import io.nbd4j.spi.ClientConnection;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One client's claim on an export's disk file: exclusive for a client that may write, shared for a
 * read-only one, so two writers (or a writer and readers) never use one file system at once. The
 * claim is a Linux open-file-description lock on a descriptor of its own, the kind nbdkit's ondemand
 * plugin takes, so it also excludes an nbdkit or another nbd4j serving the same directory, and it
 * vanishes with the descriptor when the connection ends or the process dies.
 *
 * <p>Waiting ({@code wait=true}) polls every {@link #RETRY} through the connection's sleep, so a
 * client that gives up or a server shutdown ends the wait at once; a process-wide blocking lock call
 * would hold a carrier thread for as long as the other client stays.
 *
 * <p>Threads: made and closed by the connection that owns it.
 */
final class ExportLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportLock.class);
    static final Duration RETRY = Duration.ofMillis(50);

    private final int fd;

    private ExportLock(int fd) {
        this.fd = fd;
    }

    /**
     * Claims {@code file}; when another client holds a conflicting claim, either waits for it to go
     * ({@code wait}) or refuses with EINVAL, as nbdkit does.
     */
    static ExportLock claim(Path file, String exportName, boolean exclusive, boolean wait, ClientConnection connection)
            throws IOException {
        int fd = Linux.open(file.toString(), (exclusive ? Linux.O_RDWR : Linux.O_RDONLY) | Linux.O_CLOEXEC | Linux.O_NOCTTY);
        try {
            boolean logged = false;
            while (!Linux.tryLockWholeFile(fd, exclusive)) {
                if (!wait) {
                    throw new NbdException(NbdError.EINVAL, "ondemand: " + exportName + ": filesystem is locked by another client");
                }
                if (!logged) {
                    LOG.info("ondemand: {} is in use by another client; waiting", file);
                    logged = true;
                }
                connection.sleep(RETRY);
            }
            return new ExportLock(fd);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(fd);
    }

    private static void closeQuietly(int fd) {
        try {
            Linux.close(fd);
        } catch (ErrnoException e) {
            LOG.warn("ondemand: closing a lock descriptor: {}", e.getMessage());
        }
    }
}
