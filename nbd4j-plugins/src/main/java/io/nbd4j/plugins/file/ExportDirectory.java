package io.nbd4j.plugins.file;

import io.nbd4j.spi.Export;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dir=} mode: each regular file or block device directly inside one directory is an export
 * named after the file. The directory is read afresh on every list and open, so files added after the
 * server started can be served.
 *
 * <p>Security: an export name is served only if it is a plain entry name (not empty, no {@code /} or
 * NUL, not {@code .} or {@code ..}) whose entry is itself a regular file or block device. Symbolic links
 * are refused unless {@code symlinks=inside}, and then only when the link's final target is a direct
 * entry of the same directory (after resolving the directory's own real path), which is then opened by
 * its own name. The open itself uses {@code O_NOFOLLOW} relative to the directory, so a link swapped in
 * after these checks is refused too.
 *
 * <p>Threads: immutable; safe from any thread.
 */
final class ExportDirectory {
    private final Path dir;
    private final boolean symlinksInside;

    ExportDirectory(Path dir, boolean symlinksInside) {
        this.dir = dir;
        this.symlinksInside = symlinksInside;
    }

    Path path() {
        return dir;
    }

    /** The servable entries, in the directory's own order ({@code ls -U}), as nbdkit lists them. */
    List<Export> list() throws IOException {
        List<Export> exports = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (servableEntry(name) != null) {
                    exports.add(new Export(name));
                }
            }
        }
        return exports;
    }

    /** Opens the export {@code name}, or refuses it with EINVAL before opening anything. */
    DiskFile open(String name, boolean wantWrite) throws IOException {
        checkPlainName(name);
        String entry = servableEntry(name);
        if (entry == null) {
            throw new NbdException(NbdError.EINVAL, refusal(name));
        }
        return DiskFile.openInDirectory(dir, entry, wantWrite);
    }

    static void checkPlainName(String name) throws NbdException {
        if (name.isEmpty()) {
            throw new NbdException(NbdError.EINVAL, "file: dir= mode has no default export; ask for a file name");
        }
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new NbdException(NbdError.EINVAL, "file: export name '" + name + "' is not a plain file name");
        }
    }

    /**
     * The entry to open for a name: the name itself for a regular file or block device, the target's
     * name for an allowed symbolic link, or {@code null} when the name must be refused.
     */
    private String servableEntry(String name) {
        try {
            checkPlainName(name);
            Path entry = dir.resolve(name);
            BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                return symlinksInside ? targetInside(entry) : null;
            }
            return isFileOrBlockDevice(entry, attrs) ? name : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String targetInside(Path link) throws IOException {
        Path target = link.toRealPath();
        Path realDir = dir.toRealPath();
        if (!realDir.equals(target.getParent())) {
            return null;
        }
        BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return isFileOrBlockDevice(target, attrs) ? target.getFileName().toString() : null;
    }

    private static boolean isFileOrBlockDevice(Path p, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
            return true;
        }
        if (!attrs.isOther()) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0060000;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Why {@code name} is refused, checked again without following links, for the message. */
    private String refusal(String name) {
        Path entry = dir.resolve(name);
        try {
            BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                return "file: export '" + name + "' is a symbolic link"
                        + (symlinksInside ? " whose target is not a file directly in " + dir : " (refused; see symlinks=inside)");
            }
            if (attrs.isDirectory()) {
                return "file: export '" + name + "' is a directory";
            }
            return "file: export '" + name + "' is not a regular file or block device";
        } catch (NoSuchFileException e) {
            return "file: no export named '" + name + "' in " + dir;
        } catch (IOException e) {
            return "file: export '" + name + "' cannot be examined: " + e.getMessage();
        }
    }
}
