package io.nbd4j.plugins.ondemand;

import io.nbd4j.plugins.common.DiskCommand;
import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.plugins.file.FileHandle;
import io.nbd4j.plugins.file.linux.Linux;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ondemand} plugin: a persistent file system per export name, made the first time a client
 * asks for the name. See the package documentation.
 *
 * <p>Threads: configuration on the main thread; {@link #open} and {@link #listExports} on connection
 * threads concurrently, reading only the final configuration.
 */
public final class OndemandPlugin implements Plugin {
    private static final Parameter DIR = new Parameter("dir", "EXPORTSDIR",
            "(required) the directory that keeps one disk file per export");
    private static final Parameter WAIT = new Parameter("wait", "true|false",
            "a client asking for an export in use waits for it (default: it is refused)");
    private static final List<Parameter> PARAMETERS;

    static {
        List<Parameter> all = new ArrayList<>();
        all.add(DIR);
        all.addAll(DiskCommand.parameters(new Parameter("size", "SIZE",
                "(required) size of each new file system; with command= only a suggestion (the magic key)")));
        all.add(WAIT);
        PARAMETERS = List.copyOf(all);
    }

    private final DiskCommand command = new DiskCommand("ondemand");
    private Path dir;
    private boolean wait;
    private ExportFiles exports;

    @Override public String name() { return "ondemand"; }
    @Override public String description() { return "a file system per export name, created on first use"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "size"; }
    @Override public boolean acceptsUndeclaredKeys() { return true; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "dir" -> dir = Path.of(value).toAbsolutePath();
            case "wait" -> wait = Values.parseBool(key, value);
            default -> command.config(key, value);
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (dir == null) {
            throw new ConfigException("ondemand: dir= is required: the directory where the file systems are kept");
        }
        command.configComplete();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("ondemand: dir=" + dir + " is not a directory");
        }
        if (!Linux.isAvailable()) {
            throw new ConfigException("ondemand: needs Linux open file description locks, which are not available here ("
                    + Linux.unavailableReason() + ")");
        }
        exports = new ExportFiles(dir, command);
    }

    @Override
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        return exports.list();
    }

    /** The empty export name stands for the disk {@code default}, the name clients are told it has. */
    @Override
    public String defaultExport(boolean readOnly, boolean tls) {
        return ExportFiles.DEFAULT_FILE;
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        Path file = exports.fileFor(request.exportName());
        exports.ensureExists(file);
        DiskFile disk = DiskFile.open(file, !request.readOnly());
        if (request.probe()) {
            // An NBD_OPT_INFO probe reads no data, so it needs no claim on the file system.
            return new FileHandle(disk, request.readOnly(), false, false, disk::close);
        }
        ExportLock lock;
        try {
            boolean exclusive = disk.isWritable() && !request.readOnly();
            lock = ExportLock.claim(file, request.exportName(), exclusive, wait, request.connection());
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
        return new FileHandle(disk, request.readOnly(), false, false, () -> {
            disk.close();
            lock.close();
        });
    }
}
