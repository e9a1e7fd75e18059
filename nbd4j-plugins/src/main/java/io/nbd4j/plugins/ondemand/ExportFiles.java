package io.nbd4j.plugins.ondemand;

import io.nbd4j.plugins.common.DiskCommand;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The exports directory: one disk file per export name, made by the {@link DiskCommand} the first time
 * the name is asked for. The empty export name is the file {@code default}. A name is refused when it
 * is longer than 255 bytes or holds {@code .}, {@code /}, {@code :} or NUL, so a client can neither
 * leave the directory nor reach the hidden files (dot-files) a command may keep beside the disks.
 *
 * <p><b>Creation is atomic.</b> The command makes the disk in a private hidden subdirectory under the
 * same name ({@code $disk} ends in the export name, as in nbdkit), and only a command that succeeded
 * has its disk linked into place, so a failed or interrupted mkfs never leaves a half-made file system
 * that a later client would be served; the subdirectory is removed either way. In this process one
 * creation per name runs at a time and clients asking meanwhile wait for it and share its outcome;
 * if another process links the same name first, its disk wins and ours is dropped.
 *
 * <p>Threads: any number of connection threads at once; the only shared state is the map of
 * creations in progress.
 */
final class ExportFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ExportFiles.class);
    static final String DEFAULT_FILE = "default";
    private static final int NAME_MAX = 255;

    private final Path dir;
    private final DiskCommand command;
    private final ConcurrentMap<String, CompletableFuture<Void>> creating = new ConcurrentHashMap<>();

    ExportFiles(Path dir, DiskCommand command) {
        this.dir = dir;
        this.command = command;
    }

    /** The file that serves {@code exportName}, or EINVAL for a name that is not allowed. */
    Path fileFor(String exportName) throws NbdException {
        String name = exportName.isEmpty() ? DEFAULT_FILE : exportName;
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX
                || name.indexOf('.') >= 0 || name.indexOf('/') >= 0 || name.indexOf(':') >= 0 || name.indexOf('\0') >= 0) {
            throw new NbdException(NbdError.EINVAL, "ondemand: invalid export name '" + exportName
                    + "' refused (at most 255 bytes, without '.', '/' or ':')");
        }
        return dir.resolve(name);
    }

    /**
     * The exports: the default one first, then each entry of the directory that is not a
     * subdirectory, in the directory's own order, leaving out {@code default} and every name a client
     * could not ask for.
     */
    List<Export> list() throws IOException {
        List<Export> exports = new ArrayList<>();
        exports.add(new Export(""));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals(DEFAULT_FILE) && name.indexOf('.') < 0 && name.indexOf(':') < 0
                        && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    exports.add(new Export(name));
                }
            }
        }
        return exports;
    }

    /** Makes sure {@code file} exists, creating it with the command if no one has yet. */
    void ensureExists(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        String name = file.getFileName().toString();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = creating.putIfAbsent(name, mine);
        if (running != null) {
            awaitOther(name, running);
            return;
        }
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            mine.complete(null);
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            creating.remove(name, mine);
        }
    }

    private static void awaitOther(String name, CompletableFuture<Void> running) throws IOException {
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdException(NbdError.ESHUTDOWN, "ondemand: interrupted while " + name + " was being created", e);
        } catch (ExecutionException e) {
            throw new NbdException(NbdError.EIO, "ondemand: creating " + name + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void create(Path file) throws IOException {
        Path work = Files.createTempDirectory(dir, ".nbd4j-creating-");
        try {
            Path made = work.resolve(file.getFileName());
            command.create(made);
            if (!Files.exists(made)) {
                throw new NbdException(NbdError.EIO, "ondemand: the command did not create $disk (" + made + ")");
            }
            try {
                linkIntoPlace(made, file);
                LOG.info("ondemand: created {}", file);
            } catch (FileAlreadyExistsException e) {
                LOG.info("ondemand: {} was created meanwhile by another process; using that one", file);
            }
        } finally {
            removeTree(work);
        }
    }

    /**
     * Gives the new disk its name only if the name is free: a hard link fails rather than replace a
     * disk another process linked meanwhile. Where the file system has no hard links, a rename that
     * checks first comes close.
     */
    private static void linkIntoPlace(Path made, Path file) throws IOException {
        try {
            Files.createLink(file, made);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("ondemand: cannot hard-link {} ({}); renaming it", made, e.toString());
            Files.move(made, file);
        }
    }

    private static void removeTree(Path top) {
        try (Stream<Path> tree = Files.walk(top)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("ondemand: could not remove {}: {}", top, e.toString());
        }
    }
}
