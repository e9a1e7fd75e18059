package io.nbd4j.plugins.sh;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code sh} plugin: an export served by a script or any executable, run once for every plugin
 * method, exactly as nbdkit's sh plugin runs it (see the package documentation).
 *
 * <p>Threads: configuration and unload on the main thread; the fields it sets are not changed
 * afterwards, and connection threads only read them once serving has started.
 */
public final class ShPlugin extends ScriptProtocolPlugin {
    private static final String SCRIPT = "script";
    /** The name nbdkit gives an inline script inside {@code $tmpdir}. */
    private static final String INLINE_SCRIPT = "inline-script.sh";

    private final Supplier<InputStream> stdin;
    private PrivateTmpdir tmpdir;
    private Path script;
    private String scriptMagicKey;

    public ShPlugin() {
        this(() -> System.in);
    }

    /** @param stdin where {@code script=-} reads the inline script from */
    ShPlugin(Supplier<InputStream> stdin) {
        this.stdin = stdin;
    }

    @Override
    public String name() {
        return "sh";
    }

    @Override
    public String description() {
        return "serve an export from a script or program run once per request (nbdkit's sh protocol)";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter(SCRIPT, "PATH|-",
                "the script or program that answers every method; - reads a script from stdin (then run by /bin/sh"
                        + " unless it starts with #!); every other key=value goes to the script's config method"));
    }

    /**
     * Always {@code script}, even once the script is known: the next bare word then still reaches this
     * plugin (never a filter) and is renamed to the script's own magic key here, as in nbdkit.
     */
    @Override
    public String magicConfigKey() {
        return SCRIPT;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        ScriptProtocol protocol = protocol();
        if (protocol == null) {
            loadScript(key, value);
            return;
        }
        String scriptKey = key;
        if (SCRIPT.equals(key)) {
            if (scriptMagicKey == null) {
                throw new ConfigException(script + ": expecting key=value on the command line but got: " + value
                        + " (the script has no magic_config_key)");
            }
            scriptKey = scriptMagicKey;
        }
        if (!protocol.config(scriptKey, value)) {
            throw new ConfigException(script + ": this plugin does not need command line configuration (the script"
                    + " has no config method, so " + scriptKey + "=" + value + " cannot be used)");
        }
    }

    private void loadScript(String key, String value) throws ConfigException {
        if (!SCRIPT.equals(key)) {
            throw new ConfigException("sh: the first parameter must be script=/path/to/script (or the script as a bare"
                    + " word), but got " + key + "=" + value);
        }
        try {
            tmpdir = PrivateTmpdir.create("nbd4jsh");
        } catch (IOException e) {
            throw new ConfigException("sh: cannot create the temporary directory for the script: " + e.getMessage(), e);
        }
        try {
            script = "-".equals(value) ? readInlineScript() : existingExecutable(value);
        } catch (ConfigException e) {
            tmpdir.deleteQuietly();
            throw e;
        }
        ScriptProtocol protocol = new ScriptProtocol(method -> script, tmpdir);
        useProtocol(protocol);
        protocol.load();
        String magic = protocol.magicConfigKey();
        scriptMagicKey = magic == null || magic.isBlank() ? null : magic.strip();
    }

    private Path readInlineScript() throws ConfigException {
        try (InputStream in = stdin.get()) {
            return tmpdir.saveScript(INLINE_SCRIPT, in.readAllBytes());
        } catch (IOException e) {
            throw new ConfigException("sh: script=-: failed to copy the inline script from stdin to "
                    + tmpdir.path().resolve(INLINE_SCRIPT) + ": " + e.getMessage(), e);
        }
    }

    private static Path existingExecutable(String value) throws ConfigException {
        Path path;
        try {
            path = Path.of(value).toRealPath();
        } catch (NoSuchFileException e) {
            throw new ConfigException("sh: script=" + value + ": no such file", e);
        } catch (IOException e) {
            throw new ConfigException("sh: script=" + value + ": " + e.getMessage(), e);
        }
        if (!Files.isExecutable(path) || Files.isDirectory(path)) {
            throw new ConfigException("sh: script=" + value + ": the script must be an executable file (chmod +x "
                    + path + ")");
        }
        return path;
    }

    @Override
    public void configComplete() throws ConfigException {
        ScriptProtocol protocol = protocol();
        if (protocol == null) {
            throw new ConfigException("sh: missing script parameter: name the script as the first word or script=PATH");
        }
        protocol.configComplete();
    }

    /** The private temporary directory ({@code $tmpdir}), once a script is configured. */
    Path tmpdir() {
        return tmpdir == null ? null : tmpdir.path();
    }
}
