package io.nbd4j.plugins.tmpdisk;

import io.nbd4j.plugins.common.DiskCommand;
import io.nbd4j.plugins.common.TemporaryFiles;
import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.plugins.file.FileHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code tmpdisk} plugin: every connection gets a fresh private disk, gone when it disconnects.
 * See the package documentation.
 *
 * <p>Threads: configuration on the main thread; {@link #open} on connection threads concurrently,
 * reading only the final configuration. Each handle owns its disk alone.
 */
public final class TmpDiskPlugin implements Plugin {
    private static final List<Parameter> PARAMETERS = DiskCommand.parameters(new Parameter("size", "SIZE",
            "size of each client's disk; with command= only a suggestion (the magic key)"));

    private final Path baseOverride;
    private final DiskCommand command = new DiskCommand("tmpdisk");

    public TmpDiskPlugin() {
        this(null);
    }

    /** With {@code base} the disks go there instead of {@code $TMPDIR} or {@code /var/tmp}. */
    TmpDiskPlugin(Path base) {
        this.baseOverride = base;
    }

    @Override public String name() { return "tmpdisk"; }
    @Override public String description() { return "a fresh, private, temporary file system for each client"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "size"; }
    @Override public boolean acceptsUndeclaredKeys() { return true; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        command.config(key, value);
    }

    @Override
    public void configComplete() throws ConfigException {
        command.configComplete();
    }

    private Path base() {
        return baseOverride != null ? baseOverride : TemporaryFiles.directory();
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        DiskCreator.Created created = new DiskCreator(base(), command).create();
        DiskFile disk;
        try {
            disk = DiskFile.open(created.disk(), !request.readOnly());
        } finally {
            // The open descriptor keeps the data; removing the name now leaves nothing behind if the server dies.
            created.delete();
        }
        return new FileHandle(disk, request.readOnly(), false, false, disk::close);
    }
}
