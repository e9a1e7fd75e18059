package io.nbd4j.plugins.eval;

import io.nbd4j.plugins.sh.PrivateTmpdir;
import io.nbd4j.plugins.sh.ScriptProtocol;
import io.nbd4j.plugins.sh.ScriptProtocolPlugin;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code eval} plugin: nbdkit's sh protocol with each method written as a shell snippet on the
 * command line ({@code get_size='echo 64M'}). Each snippet is saved as {@code $tmpdir/METHOD} and run
 * like an sh plugin script (by {@code /bin/sh}, having no {@code #!}); a method without a snippet runs
 * {@code missing}, which is {@code exit 2} unless given. See the package documentation.
 *
 * <p>Threads: configuration and unload on the main thread; snippets are only added during
 * configuration, and connection threads only look them up.
 */
public final class EvalPlugin extends ScriptProtocolPlugin {
    /** Every method a snippet may be given for, in nbdkit's list. */
    static final List<String> METHODS = List.of(
            "after_fork", "block_size", "cache", "can_cache", "can_extents", "can_fast_zero", "can_flush",
            "can_fua", "can_multi_conn", "can_trim", "can_write", "can_zero", "close", "config", "config_complete",
            "default_export", "dump_plugin", "export_description", "extents", "flush", "get_ready", "get_size",
            "is_rotational", "list_exports", "open", "pread", "preconnect", "pwrite", "thread_model", "trim",
            "unload", "zero");
    private static final String MISSING = "missing";

    /**
     * A data method given without its {@code can_*} gets a {@code can_*} that says yes, as nbdkit does
     * for C plugins; sh scripts, which cannot be inspected, get no such help.
     */
    private static final List<Implied> IMPLIED = List.of(
            new Implied("pwrite", "can_write", "exit 0\n"),
            new Implied("flush", "can_flush", "exit 0\n"),
            new Implied("trim", "can_trim", "exit 0\n"),
            new Implied("zero", "can_zero", "exit 0\n"),
            new Implied("extents", "can_extents", "exit 0\n"),
            new Implied("cache", "can_cache", "echo native\n"));

    private record Implied(String dataMethod, String canMethod, String snippet) {}

    private final Map<String, Path> snippets = new ConcurrentHashMap<>();
    private PrivateTmpdir tmpdir;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String description() {
        return "serve an export from shell snippets given on the command line, one per method (nbdkit's sh protocol)";
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        for (String method : METHODS) {
            parameters.add(new Parameter(method, "SCRIPT", "shell snippet run as the " + method + " method"));
        }
        parameters.add(new Parameter(MISSING, "SCRIPT", "shell snippet run for every method not given (default: exit 2)"));
        return parameters;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        ScriptProtocol p = startedProtocol();
        if (METHODS.contains(key) || MISSING.equals(key)) {
            if (snippets.containsKey(key)) {
                throw new ConfigException("eval: method " + key + " defined more than once on the command line");
            }
            snippets.put(key, writeSnippet(key, value));
            return;
        }
        if (!p.config(key, value)) {
            throw new ConfigException("eval: parameter '" + key + "' names no method (" + String.join(", ", METHODS)
                    + ", missing), and there is no config snippet to handle it");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        ScriptProtocol p = startedProtocol();
        for (Implied implied : IMPLIED) {
            if (snippets.containsKey(implied.dataMethod()) && !snippets.containsKey(implied.canMethod())) {
                snippets.put(implied.canMethod(), writeSnippet(implied.canMethod(), implied.snippet()));
            }
        }
        p.configComplete();
    }

    /** The protocol, creating {@code $tmpdir} and its default {@code missing} script on first use. */
    private ScriptProtocol startedProtocol() throws ConfigException {
        if (protocol() == null) {
            try {
                tmpdir = PrivateTmpdir.create("nbd4jeval");
            } catch (IOException e) {
                throw new ConfigException("eval: cannot create the temporary directory for the snippets: " + e.getMessage(), e);
            }
            Path missing = writeSnippet(MISSING, "exit 2\n");
            useProtocol(new ScriptProtocol(method -> snippets.getOrDefault(method, missing), tmpdir));
        }
        return protocol();
    }

    private Path writeSnippet(String method, String text) throws ConfigException {
        try {
            return tmpdir.saveScript(method, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("eval: cannot save the " + method + " snippet to " + tmpdir.path().resolve(method)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The private temporary directory ({@code $tmpdir}), once configuration has started. */
    Path tmpdir() {
        return tmpdir == null ? null : tmpdir.path();
    }
}
