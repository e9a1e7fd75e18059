package io.nbd4j.plugins.tmpdisk;

import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.plugins.file.FileHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code tmpdisk} plugin: every connection gets a fresh private disk, gone when it disconnects.
 * See the package documentation.
 *
 * <p>Threads: configuration on the main thread; {@link #open} on connection threads concurrently,
 * reading only the final configuration. Each handle owns its disk alone.
 */
public final class TmpDiskPlugin implements Plugin {
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("size", "SIZE", "size of each client's disk; with command= only a suggestion (the magic key)"),
            new Parameter("command", "SCRIPT", "shell commands that create $disk (given $disk, $size and any other key=value)"));

    private final Path baseOverride;
    private long size = -1;
    private String command;
    private final Map<String, String> variables = new LinkedHashMap<>();

    public TmpDiskPlugin() {
        this(null);
    }

    /** With {@code base} the disks go there instead of {@code $TMPDIR} or {@code /var/tmp}. */
    TmpDiskPlugin(Path base) {
        this.baseOverride = base;
    }

    @Override public String name() { return "tmpdisk"; }
    @Override public String description() { return "a fresh, private, temporary disk for each client"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "size"; }
    @Override public boolean acceptsUndeclaredKeys() { return true; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "size" -> size = Values.parseSize(key, value);
            case "command" -> command = value;
            case "disk" -> throw new ConfigException("tmpdisk: disk= is reserved: $disk is set to the path of the disk");
            default -> {
                if (!SHELL_NAME.matcher(key).matches()) {
                    throw new ConfigException("tmpdisk: parameter '" + key
                            + "' cannot become a shell variable for command= (use letters, digits and _)");
                }
                variables.put(key, value);
            }
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (size < 0) {
            throw new ConfigException("tmpdisk: size= is required (e.g. 'tmpdisk 1G')");
        }
        if (command == null && !variables.isEmpty()) {
            String key = variables.keySet().iterator().next();
            throw new ConfigException("tmpdisk: " + key + "= is only passed to command=; nbd4j does not format disks by itself"
                    + " (for a file system use e.g. command='truncate -s $size \"$disk\" && mkfs -t \"$type\" \"$disk\"')");
        }
    }

    private Path base() {
        if (baseOverride != null) {
            return baseOverride;
        }
        String tmpdir = System.getenv("TMPDIR");
        return Path.of(tmpdir == null || tmpdir.isEmpty() ? "/var/tmp" : tmpdir);
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        DiskCreator.Created created = new DiskCreator(base(), size, command, variables).create();
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
