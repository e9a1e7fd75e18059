package io.nbd4j.plugins.split;

import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.plugins.file.SharedDiskFiles;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code split} plugin: several files concatenated into one disk. See the package documentation.
 *
 * <p>Threads: configuration on the main thread; {@link #open} on connection threads concurrently,
 * reading only the final list of files. Open files are shared between connections.
 */
public final class SplitPlugin implements Plugin {
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("file", "FILENAME", "a file to append to the disk; repeat it, in order (the magic key)"));

    private final List<Path> files = new ArrayList<>();
    private final SharedDiskFiles shared = new SharedDiskFiles();

    @Override public String name() { return "split"; }
    @Override public String description() { return "concatenate several files into one disk"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "file"; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!key.equals("file")) {
            throw new ConfigException("split: unknown parameter '" + key + "' (accepted: file)");
        }
        if (value.isEmpty()) {
            throw new ConfigException("split: file= needs a path");
        }
        files.add(Path.of(value).toAbsolutePath().normalize());
    }

    @Override
    public void configComplete() throws ConfigException {
        if (files.isEmpty()) {
            throw new ConfigException("split: at least one file=FILENAME is required");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new ConfigException("split: file=" + f + " is not a regular file");
            }
        }
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        List<DiskFile> opened = new ArrayList<>(files.size());
        try {
            for (Path f : files) {
                opened.add(shared.acquire(() -> DiskFile.open(f, !request.readOnly())));
            }
            return new SplitHandle(opened, request.readOnly(), () -> opened.forEach(shared::release));
        } catch (IOException | RuntimeException e) {
            opened.forEach(shared::release);
            throw e;
        }
    }
}
