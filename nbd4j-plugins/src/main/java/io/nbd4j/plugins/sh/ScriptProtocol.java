package io.nbd4j.plugins.sh;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.ThreadModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * nbdkit's sh plugin protocol, shared by the {@code sh} and {@code eval} plugins: which method is run
 * for each plugin callback, with which arguments, and how its exit status and output are read. The
 * plugins differ only in the {@link ScriptLocator} that says which executable answers a method.
 *
 * <p>Threads: the server-wide methods come from the main thread, in the order of {@link
 * io.nbd4j.spi.Layer}; {@link #preconnect}, {@link #listExports}, {@link #defaultExport} and
 * {@link #open} from connection threads, concurrently. The only mutable state, the thread model,
 * is set during configuration, before connections exist.
 */
public final class ScriptProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptProtocol.class);

    /** The highest exit code with a meaning, as {@code --dump-plugin} reports it. */
    public static final int MAX_KNOWN_STATUS = ExitStatus.MAX_KNOWN_STATUS;

    private final MethodCaller caller;
    private final PrivateTmpdir tmpdir;
    /** The script's {@code thread_model} answer; {@code null} until asked. */
    private volatile ThreadModel threadModel;

    /** @param tmpdir the script's {@code $tmpdir}; this protocol removes it at {@link #unload()} */
    public ScriptProtocol(ScriptLocator locator, PrivateTmpdir tmpdir) {
        this.tmpdir = tmpdir;
        this.caller = new MethodCaller(locator, new ScriptRunner(tmpdir.path()));
    }

    /** Runs {@code load} (the sh plugin, as soon as the script is known); missing is fine. */
    public void load() throws ConfigException {
        configPhase("load", () -> caller.action("load"));
    }

    /** Runs {@code magic_config_key}: the key the script wants for a bare word, or {@code null}. */
    public String magicConfigKey() throws ConfigException {
        String out = configPhase("magic_config_key", () -> caller.text("magic_config_key"));
        return out == null ? null : OutputLines.chomp(out);
    }

    /** Runs {@code config KEY VALUE}; false if the script has no {@code config} method. */
    public boolean config(String key, String value) throws ConfigException {
        return configPhase("config", () -> caller.action("config", key, value));
    }

    /**
     * Runs {@code config_complete}, then {@code thread_model}, whose answer {@link #threadModel()}
     * returns from then on (nbdkit asks in the same order).
     */
    public void configComplete() throws ConfigException {
        configPhase("config_complete", () -> caller.action("config_complete"));
        threadModel = askThreadModel();
    }

    private ThreadModel askThreadModel() throws ConfigException {
        String answer = configPhase("thread_model", () -> caller.text("thread_model"));
        return answer == null ? ThreadModel.SERIALIZE_ALL_REQUESTS : parseThreadModel(OutputLines.chomp(answer));
    }

    private ThreadModel parseThreadModel(String answer) {
        String name = answer.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ThreadModel m : ThreadModel.values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        LOG.debug("{}: ignoring unrecognized thread model: {}", caller.scriptFor("thread_model"), answer);
        return ThreadModel.SERIALIZE_ALL_REQUESTS;
    }

    /**
     * The script's thread model: {@code serialize_all_requests} unless {@code thread_model} says otherwise.
     * Asked here when {@link #configComplete} has not run: {@code --dump-plugin} wants it without
     * completing the configuration, as nbdkit does.
     */
    public ThreadModel threadModel() {
        ThreadModel model = threadModel;
        if (model == null) {
            try {
                model = askThreadModel();
            } catch (ConfigException e) {
                LOG.debug("{}", e.getMessage());
                model = ThreadModel.SERIALIZE_ALL_REQUESTS;
            }
            threadModel = model;
        }
        return model;
    }

    /**
     * Runs {@code get_ready}, then {@code after_fork}: we never fork, and nbdkit runs {@code after_fork}
     * even in the foreground, so scripts that start background work there still get to.
     */
    public void getReady() throws IOException {
        caller.action("get_ready");
        caller.action("after_fork");
    }

    /** Runs {@code preconnect READONLY}; an error refuses the client. */
    public void preconnect(boolean readOnly) throws IOException {
        caller.action("preconnect", bool(readOnly));
    }

    /**
     * Runs {@code list_exports READONLY TLS}; if missing, the one default export, which the server names
     * with the {@code default_export} answer it asks for (once per connection).
     */
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        String out = caller.text("list_exports", bool(readOnly), bool(tls));
        return out == null ? List.of(Export.defaultExport()) : ExportListParser.parse(out);
    }

    /** Runs {@code default_export READONLY TLS}: the first name it lists; {@code ""} if it lists none or is missing. */
    public String defaultExport(boolean readOnly, boolean tls) throws IOException {
        String out = caller.text("default_export", bool(readOnly), bool(tls));
        if (out == null) {
            return "";
        }
        List<Export> exports = ExportListParser.parse(out);
        return exports.isEmpty() ? "" : exports.getFirst().name();
    }

    /** Runs {@code open READONLY EXPORTNAME TLS}; the handle is what it prints, less one newline, or {@code ""}. */
    public Handle open(OpenRequest request) throws IOException {
        String out = caller.text("open", bool(request.readOnly()), request.exportName(), bool(request.tls()));
        return new ScriptHandle(caller, out == null ? "" : OutputLines.chomp(out));
    }

    /** Runs {@code unload}, ignoring any failure, then removes {@code $tmpdir} with everything in it. */
    public void unload() {
        try {
            caller.action("unload");
        } catch (NbdException e) {
            LOG.debug("{}: unload failed (ignored): {}", caller.scriptFor("unload"), e.getMessage());
        }
        tmpdir.deleteQuietly();
    }

    /**
     * {@code max_known_status=3}, then the {@code key=value} lines {@code dump_plugin} prints (a failing
     * or missing method adds nothing, as in nbdkit).
     */
    public Map<String, String> dump() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("max_known_status", Integer.toString(MAX_KNOWN_STATUS));
        try {
            String out = caller.text("dump_plugin");
            for (String line : OutputLines.of(out == null ? "" : out)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    lines.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NbdException e) {
            LOG.debug("{}: dump_plugin failed (ignored): {}", caller.scriptFor("dump_plugin"), e.getMessage());
        }
        return lines;
    }

    private static String bool(boolean b) {
        return b ? "true" : "false";
    }

    @FunctionalInterface
    private interface ScriptCall<T> {
        T run() throws NbdException;
    }

    /** Runs a configuration-time call; its failure becomes a message naming the script. */
    private <T> T configPhase(String method, ScriptCall<T> call) throws ConfigException {
        try {
            return call.run();
        } catch (NbdException e) {
            String script = caller.scriptFor(method).toString();
            String message = e.getMessage().startsWith(script) ? e.getMessage() : script + ": " + e.getMessage();
            throw new ConfigException(message, e);
        }
    }
}
