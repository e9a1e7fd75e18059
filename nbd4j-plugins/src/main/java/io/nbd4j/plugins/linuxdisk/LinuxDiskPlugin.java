package io.nbd4j.plugins.linuxdisk;

import io.nbd4j.plugins.common.TemporaryFiles;
import io.nbd4j.plugins.common.DirectoryParameter;
import io.nbd4j.plugins.common.VirtualDisk;
import io.nbd4j.plugins.common.VirtualDiskHandle;
import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The {@code linuxdisk} plugin: a read-only disk with a GPT and one partition holding an ext2, ext3 or
 * ext4 file system made from a host directory at start. See the package documentation.
 *
 * <p>Threads: configured and built on the main thread; connections share the immutable disk.
 */
public final class LinuxDiskPlugin implements Plugin {
    /** What mke2fs keeps of a label. */
    private static final int MAX_LABEL_BYTES = 16;
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("dir", "DIRECTORY", "(required) the directory whose contents the file system holds (the magic key)"),
            new Parameter("label", "LABEL", "the file system label, up to 16 bytes"),
            new Parameter("type", "ext2|ext3|ext4", "the file system (default ext2)"),
            new Parameter("size", "[+]SIZE", "the file system's size; +SIZE: at least that much free space (default: just enough)"));

    private final Path tmpdirOverride;
    private Path dir;
    private String label;
    private String type = "ext2";
    private long size;
    private boolean addToEstimate;
    private DiskFile filesystem;
    private VirtualDisk disk;

    public LinuxDiskPlugin() {
        this(null);
    }

    /** With {@code tmpdir} the image is made there instead of {@code $TMPDIR} or {@code /var/tmp}. */
    LinuxDiskPlugin(Path tmpdir) {
        this.tmpdirOverride = tmpdir;
    }

    @Override public String name() { return "linuxdisk"; }
    @Override public String description() { return "a virtual Linux disk (GPT, one ext2/3/4 partition) of a directory"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "dir"; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "dir" -> dir = DirectoryParameter.once("linuxdisk", dir, value);
            case "label" -> {
                if (value.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
                    throw new ConfigException("linuxdisk: label=" + value + " is longer than an ext2 label (16 bytes)");
                }
                label = value;
            }
            case "type" -> type = Values.parseChoice(key, value, "ext2", "ext3", "ext4");
            case "size" -> {
                addToEstimate = value.strip().startsWith("+");
                size = Values.parseSize(key, value);
            }
            default -> throw new ConfigException("linuxdisk: unknown parameter '" + key + "' (accepted: dir, label, type, size)");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (dir == null) {
            throw new ConfigException("linuxdisk: dir= is required: the directory to put on the disk");
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("linuxdisk: dir=" + dir + " is not a directory");
        }
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        Path tmpdir = tmpdirOverride != null ? tmpdirOverride : TemporaryFiles.directory();
        filesystem = Ext2FileSystem.make(dir, type, label, size, addToEstimate, tmpdir);
        DiskFile fs = filesystem;
        disk = GptDisk.build(fs::read, fs.size(), UUID.randomUUID(), UUID.randomUUID());
    }

    @Override
    public Handle open(OpenRequest request) {
        return new VirtualDiskHandle(disk);
    }

    @Override
    public void unload() {
        if (filesystem != null) {
            filesystem.close();
        }
    }
}
