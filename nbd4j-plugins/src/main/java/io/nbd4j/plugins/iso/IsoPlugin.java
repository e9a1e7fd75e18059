package io.nbd4j.plugins.iso;

import io.nbd4j.plugins.common.ExternalCommand;
import io.nbd4j.plugins.common.TemporaryFiles;
import io.nbd4j.plugins.file.DiskFile;
import io.nbd4j.plugins.file.FileHandle;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code iso} plugin: a read-only CD image of one or more host directories, made once at start by
 * xorriso (or genisoimage, mkisofs) into a temporary file. See the package documentation.
 *
 * <p>Threads: configured and built on the main thread; connections share the one open image, which
 * allows concurrent reads.
 */
public final class IsoPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(IsoPlugin.class);
    /** Tried in this order when {@code prog=} is not given. */
    private static final List<String> PROGRAMS = List.of("xorriso", "genisoimage", "mkisofs");
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("dir", "DIRECTORY", "(required, may repeat) a directory whose files go on the CD; several are merged (the magic key)"),
            new Parameter("params", "PARAMS", "more options for the program, read by the shell (e.g. '-JrT -V \"My disk\"')"),
            new Parameter("prog", "PROGRAM", "the program that makes the image (default: the first of xorriso, genisoimage, mkisofs on PATH)"));

    private final Path tmpdirOverride;
    private final List<Path> dirs = new ArrayList<>();
    private String params;
    private String prog;
    private DiskFile image;

    public IsoPlugin() {
        this(null);
    }

    /** With {@code tmpdir} the image is made there instead of {@code $TMPDIR} or {@code /var/tmp}. */
    IsoPlugin(Path tmpdir) {
        this.tmpdirOverride = tmpdir;
    }

    @Override public String name() { return "iso"; }
    @Override public String description() { return "a virtual CD (ISO 9660 image) of host directories"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "dir"; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "dir" -> dirs.add(Path.of(value).toAbsolutePath());
            case "params" -> params = value;
            case "prog" -> prog = value;
            default -> throw new ConfigException("iso: unknown parameter '" + key + "' (accepted: dir, params, prog)");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (dirs.isEmpty()) {
            throw new ConfigException("iso: dir= is required: the directory to put on the CD");
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new ConfigException("iso: dir=" + d + " is not a directory");
            }
        }
    }

    @Override
    public Map<String, String> dump() {
        return Map.of("iso_prog", program().orElse(""));
    }

    private Optional<String> program() {
        if (prog != null) {
            return Optional.of(prog);
        }
        return PROGRAMS.stream().filter(p -> ExternalCommand.locate(p).isPresent()).findFirst();
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException, ConfigException {
        String program = program().orElseThrow(() -> new ConfigException(
                "iso: none of xorriso, genisoimage or mkisofs is on PATH (install xorriso, or name a program with prog=)"));
        Path file = Files.createTempFile(tmpdir(), "nbd4j-iso-", ".iso");
        try {
            ExternalCommand.shell("iso: " + program, commandLine(program)).stdoutTo(file).run();
            image = DiskFile.open(file, false);
        } finally {
            // The open image keeps its bytes; without a name nothing is left behind however the server ends.
            Files.deleteIfExists(file);
        }
        LOG.debug("iso: {} made an image of {} bytes", program, image.size());
    }

    /** {@code PROGRAM [-as mkisofs] -quiet PARAMS DIR...}: the image goes to standard output. */
    private String commandLine(String program) {
        StringBuilder sb = new StringBuilder(ExternalCommand.shellQuote(program));
        if (Path.of(program).getFileName().toString().equals("xorriso")) {
            sb.append(" -as mkisofs");
        }
        sb.append(" -quiet");
        if (params != null) {
            sb.append(' ').append(params);
        }
        for (Path d : dirs) {
            sb.append(' ').append(ExternalCommand.shellQuote(d.toString()));
        }
        return sb.toString();
    }

    private Path tmpdir() {
        return tmpdirOverride != null ? tmpdirOverride : TemporaryFiles.directory();
    }

    @Override
    public Handle open(OpenRequest request) {
        return new FileHandle(image, true, false, true, () -> {});
    }

    @Override
    public void unload() {
        if (image != null) {
            image.close();
        }
    }
}
