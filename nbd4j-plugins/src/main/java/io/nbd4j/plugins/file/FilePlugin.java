package io.nbd4j.plugins.file;

import io.nbd4j.plugins.file.linux.ErrnoException;
import io.nbd4j.plugins.file.linux.Linux;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code file} plugin: serves one file or block device ({@code file=}), or every file of a
 * directory as its own export ({@code dir=}). See the package documentation for the parameters.
 *
 * <p>Threads: configuration methods run on the main thread before serving; {@link #open},
 * {@link #listExports} and {@link #defaultExport} run on connection threads concurrently and only
 * read the configuration, which is final by then. Open files are shared through {@link SharedDiskFiles}.
 */
public final class FilePlugin implements Plugin {
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("file", "FILENAME", "the file or block device to serve (the magic key: 'file disk.img')"),
            new Parameter("dir", "DIRECTORY", "serve each regular file or block device in DIRECTORY, named by the export name",
                    List.of("directory")),
            new Parameter("fd", "FILE_DESCRIPTOR", "serve the file or block device open on this inherited descriptor"),
            new Parameter("dirfd", "FILE_DESCRIPTOR", "like dir=, for the directory open on this inherited descriptor"),
            new Parameter("cache", "default|none", "none: evict data from the page cache after each read and write"),
            new Parameter("fadvise", "normal|random|sequential", "access pattern hint given to the kernel (default normal)"),
            new Parameter("symlinks", "refuse|inside", "dir= mode: refuse symbolic links (default), or allow links to files in the same directory"));

    private Path file;
    private Path dir;
    private Integer fd;
    private Integer dirFd;
    /** fd= named a descriptor opened read-only: never write through it, even where the file allows it. */
    private boolean descriptorReadOnly;
    private boolean dropCache;
    private int fadvise = Linux.POSIX_FADV_NORMAL;
    private boolean symlinksInside;
    private ExportDirectory exportDirectory;
    private final SharedDiskFiles shared = new SharedDiskFiles();

    @Override public String name() { return "file"; }
    @Override public String description() { return "serve a file, a block device, or the files of a directory"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "file"; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "file" -> file = absolute(key, value, file);
            case "dir", "directory" -> dir = absolute(key, value, dir);
            case "fd" -> fd = descriptor(key, value, fd);
            case "dirfd" -> dirFd = descriptor(key, value, dirFd);
            case "cache" -> dropCache = Values.parseChoice(key, value, "default", "none").equals("none");
            case "fadvise" -> fadvise = switch (Values.parseChoice(key, value, "normal", "random", "sequential")) {
                case "random" -> Linux.POSIX_FADV_RANDOM;
                case "sequential" -> Linux.POSIX_FADV_SEQUENTIAL;
                default -> Linux.POSIX_FADV_NORMAL;
            };
            case "symlinks" -> symlinksInside = Values.parseChoice(key, value, "refuse", "inside").equals("inside");
            default -> throw new ConfigException("file: unknown parameter '" + key + "' (accepted: file, dir, fd, dirfd, cache, fadvise, symlinks)");
        }
    }

    private static Path absolute(String key, String value, Path previous) throws ConfigException {
        if (previous != null) {
            throw new ConfigException("file: " + key + "= given twice (" + previous + " and " + value + ")");
        }
        if (value.isEmpty()) {
            throw new ConfigException("file: " + key + "= needs a path");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static Integer descriptor(String key, String value, Integer previous) throws ConfigException {
        if (previous != null) {
            throw new ConfigException("file: " + key + "= given twice (" + previous + " and " + value + ")");
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("file: " + key + "=" + value + " is not a file descriptor number (expected 0, 1, 2 …)");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        int modes = (file != null ? 1 : 0) + (dir != null ? 1 : 0) + (fd != null ? 1 : 0) + (dirFd != null ? 1 : 0);
        if (modes != 1) {
            throw new ConfigException("file: exactly one of file=FILENAME, dir=DIRECTORY, fd=N or dirfd=N must be given");
        }
        // An inherited descriptor is reopened through /proc/self/fd, which names the very same file.
        if (fd != null) {
            Linux.Stat stat = inherited("fd", fd);
            if (!stat.isRegularFile() && !stat.isBlockDevice()) {
                throw new ConfigException("file: fd=" + fd + " is not a regular file or block device");
            }
            descriptorReadOnly = accessModeOf(fd) == Linux.O_RDONLY;
            file = Path.of("/proc/self/fd/" + fd);
        }
        if (dirFd != null) {
            if (!inherited("dirfd", dirFd).isDirectory()) {
                throw new ConfigException("file: dirfd=" + dirFd + " is not a directory");
            }
            dir = Path.of("/proc/self/fd/" + dirFd);
        }
        if (file != null) {
            checkServable(file);
        } else {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("file: dir=" + dir + " is not a directory");
            }
            exportDirectory = new ExportDirectory(dir, symlinksInside);
        }
    }

    private static Linux.Stat inherited(String key, int descriptor) throws ConfigException {
        if (!Linux.isAvailable()) {
            throw new ConfigException("file: " + key + "= needs Linux native access (" + Linux.unavailableReason() + ")");
        }
        try {
            return Linux.fstat(descriptor);
        } catch (ErrnoException e) {
            throw new ConfigException("file: " + key + "=" + descriptor + " is not an open file descriptor: " + e.getMessage(), e);
        }
    }

    private static int accessModeOf(int descriptor) throws ConfigException {
        try {
            return Linux.accessMode(descriptor);
        } catch (ErrnoException e) {
            throw new ConfigException("file: fd=" + descriptor + ": " + e.getMessage(), e);
        }
    }

    private static void checkServable(Path path) throws ConfigException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            boolean blockDevice = attrs.isOther()
                    && ((Integer) Files.getAttribute(path, "unix:mode") & Linux.S_IFMT) == Linux.S_IFBLK;
            if (!attrs.isRegularFile() && !blockDevice) {
                throw new ConfigException("file: file=" + path + " is not a regular file or block device");
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new ConfigException("file: file=" + path + " cannot be served: " + e.getMessage(), e);
        }
    }

    @Override
    public void getReady(ThreadModel effective) {
        if (!Linux.isAvailable()) {
            LoggerFactory.getLogger(FilePlugin.class).warn(
                    "file: native calls unavailable ({}): no extents, no hole punching, zeroes are written",
                    Linux.unavailableReason());
        }
    }

    @Override
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        return exportDirectory != null ? exportDirectory.list() : List.of(new Export(""));
    }

    @Override
    public String defaultExport(boolean readOnly, boolean tls) {
        // In dir= mode there is no natural default; the exportname filter can supply one.
        return exportDirectory != null ? null : "";
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        boolean wantWrite = !request.readOnly() && !descriptorReadOnly;
        DiskFile disk = exportDirectory != null
                ? shared.acquire(() -> exportDirectory.open(Objects.requireNonNullElse(request.exportName(), ""), wantWrite))
                : shared.acquire(() -> DiskFile.open(file, wantWrite));
        if (fadvise != Linux.POSIX_FADV_NORMAL) {
            disk.advise(0, 0, fadvise);
        }
        return new FileHandle(disk, !wantWrite, dropCache, true, () -> shared.release(disk));
    }

    @Override
    public Map<String, String> dump() {
        Map<String, String> lines = new LinkedHashMap<>();
        boolean ffm = Linux.isAvailable();
        String yes = ffm ? "yes" : "no";
        lines.put("file_ffm", ffm ? "yes" : "no (" + Linux.unavailableReason() + ")");
        lines.put("file_extents", yes);
        lines.put("file_falloc_fl_punch_hole", yes);
        lines.put("file_falloc_fl_zero_range", yes);
        lines.put("file_blkzeroout", yes);
        lines.put("file_blkdiscard", yes);
        lines.put("file_blkgetsize64", yes);
        lines.put("file_o_nofollow", yes);
        Path probe = file;
        if (probe != null && ffm) {
            try (DiskFile f = DiskFile.open(probe, false)) {
                lines.put("file_probe", probe + ": " + f.capabilities());
            } catch (IOException e) {
                lines.put("file_probe", probe + ": " + e.getMessage());
            }
        }
        return lines;
    }

    /** How many distinct files are open right now (for tests). */
    int openFileCount() {
        return shared.openCount();
    }
}
