package io.nbd4j.plugins.floppy;

import io.nbd4j.plugins.common.DirectoryParameter;
import io.nbd4j.plugins.common.VirtualDisk;
import io.nbd4j.plugins.common.VirtualDiskHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * The {@code floppy} plugin: a read-only disk with one FAT32 partition holding a host directory's
 * files, built in memory at start; file contents are read from the host when clients read them. See
 * the package documentation.
 *
 * <p>Threads: configured and built on the main thread; {@link #open} and every read on connection
 * threads, sharing the immutable disk.
 */
public final class FloppyPlugin implements Plugin {
    private static final String DEFAULT_LABEL = "NBDKITFLOPY";
    /** Characters a FAT volume label may not hold (besides control characters and non-ASCII). */
    private static final String LABEL_FORBIDDEN = "\"*+,./:;<=>?[\\]|";
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("dir", "DIRECTORY", "(required) the directory whose files the floppy holds (the magic key)"),
            new Parameter("label", "LABEL", "the volume label, up to 11 ASCII characters (default " + DEFAULT_LABEL + ")"),
            new Parameter("size", "SIZE", "the disk size (default: just large enough, at least about 33 MiB)"));

    private Path dir;
    private String label = DEFAULT_LABEL;
    private long size;
    private VirtualDisk disk;

    @Override public String name() { return "floppy"; }
    @Override public String description() { return "a virtual FAT32 disk holding the files of a directory"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "dir"; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "dir" -> dir = DirectoryParameter.once("floppy", dir, value);
            case "label" -> label = checkedLabel(value);
            case "size" -> size = Values.parseSize(key, value);
            default -> throw new ConfigException("floppy: unknown parameter '" + key + "' (accepted: dir, label, size)");
        }
    }

    static String checkedLabel(String value) throws ConfigException {
        if (value.length() > 11) {
            throw new ConfigException("floppy: label=" + value + " is longer than 11 characters");
        }
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c > 0x7E || LABEL_FORBIDDEN.indexOf(c) >= 0 || Character.isLowerCase(c)) {
                throw new ConfigException("floppy: label=" + value + ": a FAT label holds capital letters, digits,"
                        + " spaces and ASCII punctuation other than " + LABEL_FORBIDDEN);
            }
        }
        return value;
    }

    @Override
    public void configComplete() throws ConfigException {
        if (dir == null) {
            throw new ConfigException("floppy: dir= is required: the directory to put on the floppy");
        }
    }

    @Override
    public void getReady(ThreadModel effective) throws ConfigException {
        byte[] label11 = String.format("%-11s", label).getBytes(StandardCharsets.US_ASCII);
        int volumeId = (int) (System.currentTimeMillis() / 1000);
        disk = FatImage.build(SourceTree.scan(dir), label11, size, volumeId, ZoneId.systemDefault());
    }

    @Override
    public Handle open(OpenRequest request) {
        return new VirtualDiskHandle(disk);
    }
}
