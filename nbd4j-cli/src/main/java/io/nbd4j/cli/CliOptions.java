package io.nbd4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line, as nbdkit spells it: options may come anywhere, even after the plugin's
 * parameters; the first word that is not an option names the plugin and the rest are its parameters.
 * {@link #TABLE} declares every option once, for parsing ({@link Getopt}) and for {@code --help}.
 */
final class CliOptions {
    List<String> filters = new ArrayList<>();
    Integer port;
    String ipAddress;
    String unixSocket;
    boolean single;
    boolean foreground;
    Path pidFile;
    String run;
    boolean printUri;
    boolean readOnly;
    String exportName = "";
    int threads = 16;
    String tls;
    Path tlsCertificates;
    boolean tlsVerifyPeer;
    String tlsPsk;
    Integer maxConnections;
    Integer maxOptions;
    String maxPayload;
    String handshakeTimeout;
    String idleTimeout;
    String metrics;
    boolean noStructuredReplies;
    boolean noMetaContexts;
    Integer maskHandshake;
    boolean exitWithParent;
    List<String> debugFlags = new ArrayList<>();
    boolean verbose;
    String log = "stderr";
    boolean version;
    boolean help;
    boolean dumpConfig;
    boolean dumpPlugin;
    boolean longOptions;
    boolean shortOptions;
    /** Written by the launcher's background mode: the path to create once the server listens. */
    Path readyFile;
    /** Given by nbd4j-dist's AOT training script only: run these {@link AotTraining} steps instead of one server. */
    String aotTraining;
    /** The plugin (a name or a .jar) and its parameters. */
    List<String> words = new ArrayList<>();

    static final List<CliOption> TABLE = List.of(
            option("filter", "FILTER", "Stack a filter; the first named is the outermost.", (o, v) -> o.filters.add(v)),
            option('p', "port", "PORT", "TCP port to listen on (default 10809).", (o, v) -> o.port = number("-p", v)),
            option('i', "ipaddr", "ADDR", "Listen on this address only.", (o, v) -> o.ipAddress = v, "ip-addr"),
            option('U', "unix", "SOCKET", "Listen on a Unix socket; '-' makes a private one.", (o, v) -> o.unixSocket = v),
            flag('s', "single", "Serve one client on stdin/stdout, then exit.", o -> o.single = true, "stdin"),
            flag('f', "foreground", "Stay in the foreground.", o -> o.foreground = true, "no-fork"),
            option('P', "pidfile", "FILE", "Write the process id here once listening.", (o, v) -> o.pidFile = Path.of(v), "pid-file"),
            option("run", "CMD", "Run CMD with $uri etc. set, then stop; exit with its status.", (o, v) -> o.run = v),
            flag("print-uri", "Print the URI clients can connect to once listening.", o -> o.printUri = true),
            flag('r', "readonly", "Serve read-only.", o -> o.readOnly = true, "read-only"),
            option('e', "exportname", "NAME", "Export name for --run and --print-uri.", (o, v) -> o.exportName = v,
                    "export-name", "export"),
            option('t', "threads", "N", "Requests served at once per connection, and so the most in flight (default 16).",
                    (o, v) -> o.threads = number("-t", v), "max-in-flight"),
            option("tls", "off|on|require", "Offer TLS (on), insist on it (require) or refuse it (off).", (o, v) -> o.tls = v),
            option("tls-certificates", "DIR", "Directory holding server-cert.pem, server-key.pem and ca-cert.pem.",
                    (o, v) -> o.tlsCertificates = Path.of(v)),
            flag("tls-verify-peer", "Require client certificates signed by ca-cert.pem.", o -> o.tlsVerifyPeer = true),
            option("tls-psk", "FILE", "Not available: the JDK's TLS has no pre-shared keys.", (o, v) -> o.tlsPsk = v),
            option("max-connections", "N", "Most client connections open at once (default 1024).",
                    (o, v) -> o.maxConnections = number("--max-connections", v)),
            option("max-options", "N", "Most options one client may send while negotiating (default 10000).",
                    (o, v) -> o.maxOptions = number("--max-options", v)),
            option("max-payload", "SIZE", "Largest read or write one request may carry (default 64M, as nbdkit).",
                    (o, v) -> o.maxPayload = v),
            option("handshake-timeout", "TIME", "Close clients still negotiating after TIME (default 30s; 0: never).",
                    (o, v) -> o.handshakeTimeout = v),
            option("idle-timeout", "TIME", "Close connections idle for TIME (default 0: never).", (o, v) -> o.idleTimeout = v),
            option("metrics", "[ADDR:]PORT|PATH",
                    "Serve Prometheus metrics over HTTP on PORT (at 127.0.0.1 unless ADDR is given) or on the Unix socket PATH.",
                    (o, v) -> o.metrics = v),
            flag("no-sr", "Refuse structured replies.", o -> o.noStructuredReplies = true),
            flag("no-meta-contexts", "Refuse metadata contexts (block status).", o -> o.noMetaContexts = true),
            option("mask-handshake", "MASK", "AND-mask applied to the global handshake flags.",
                    (o, v) -> o.maskHandshake = number("--mask-handshake", v)),
            flag("exit-with-parent", "Exit when the parent process exits.", o -> o.exitWithParent = true),
            option('D', "debug", "NAME.FLAG=N", "Set a debug flag.", (o, v) -> o.debugFlags.add(v)),
            flag('v', "verbose", "Log every request.", o -> o.verbose = true),
            option("log", "stderr|null", "Where log messages go: stderr (the default) or nowhere.", (o, v) -> o.log = v),
            flag('V', "version", "Print the version (and the plugin's and filters').", o -> o.version = true),
            flag('h', "help", "Print help (with a plugin: its parameters).", o -> o.help = true),
            flag("dump-config", "Print build information and exit.", o -> o.dumpConfig = true),
            flag("dump-plugin", "Print the plugin's details and exit.", o -> o.dumpPlugin = true),
            hiddenFlag("long-options", o -> o.longOptions = true),
            hiddenFlag("short-options", o -> o.shortOptions = true),
            hidden("internal-ready-file", "FILE", (o, v) -> o.readyFile = Path.of(v)),
            hidden("internal-aot-training", "STEPS", (o, v) -> o.aotTraining = v));

    /** Parses a whole command line. */
    static CliOptions parse(String... args) throws UsageException {
        CliOptions options = new CliOptions();
        options.words = Getopt.parse(TABLE, args, options);
        return options;
    }

    /** Decimal, or hexadecimal with {@code 0x}, as nbdkit's integer options accept. */
    private static int number(String option, String text) throws UsageException {
        try {
            return Integer.decode(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + text + "' is not a number");
        }
    }

    private interface FlagSetter {
        void set(CliOptions options);
    }

    private static CliOption option(char shortName, String name, String label, String help, CliOption.Setter setter,
                                    String... aliases) {
        return new CliOption(shortName, names(name, aliases), label, help, false, setter);
    }

    private static CliOption option(String name, String label, String help, CliOption.Setter setter) {
        return option((char) 0, name, label, help, setter);
    }

    private static CliOption flag(char shortName, String name, String help, FlagSetter setter, String... aliases) {
        return new CliOption(shortName, names(name, aliases), null, help, false, (o, v) -> setter.set(o));
    }

    private static CliOption flag(String name, String help, FlagSetter setter) {
        return flag((char) 0, name, help, setter);
    }

    private static CliOption hidden(String name, String label, CliOption.Setter setter) {
        return new CliOption((char) 0, List.of(name), label, "", true, setter);
    }

    private static CliOption hiddenFlag(String name, FlagSetter setter) {
        return new CliOption((char) 0, List.of(name), null, "", true, (o, v) -> setter.set(o));
    }

    private static List<String> names(String name, String... aliases) {
        List<String> all = new ArrayList<>(List.of(name));
        all.addAll(List.of(aliases));
        return List.copyOf(all);
    }
}
