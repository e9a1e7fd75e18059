package io.nbd4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line, as nbdkit spells it: options may come anywhere, even after the plugin's
 * parameters; the first word that is not an option names the plugin and the rest are its parameters.
 */
@Command(name = "nbd4j", sortOptions = false, separator = "=",
        description = "Serve a block device over the Network Block Device protocol.")
final class CliOptions {
    @Option(names = "--filter", paramLabel = "FILTER", description = "Stack a filter; the first named is the outermost.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on (default 10809).")
    Integer port;

    @Option(names = {"-i", "--ipaddr", "--ip-addr"}, paramLabel = "ADDR", description = "Listen on this address only.")
    String ipAddress;

    @Option(names = {"-U", "--unix"}, paramLabel = "SOCKET", description = "Listen on a Unix socket; '-' makes a private one.")
    String unixSocket;

    @Option(names = {"-s", "--single", "--stdin"}, description = "Serve one client on stdin/stdout, then exit.")
    boolean single;

    @Option(names = {"-f", "--foreground", "--no-fork"}, description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = {"-P", "--pidfile", "--pid-file"}, paramLabel = "FILE", description = "Write the process id here once listening.")
    Path pidFile;

    @Option(names = "--run", paramLabel = "CMD", description = "Run CMD with $uri etc. set, then stop; exit with its status.")
    String run;

    @Option(names = "--print-uri", description = "Print the URI clients can connect to once listening.")
    boolean printUri;

    @Option(names = {"-r", "--readonly", "--read-only"}, description = "Serve read-only.")
    boolean readOnly;

    @Option(names = {"-e", "--exportname", "--export-name", "--export"}, paramLabel = "NAME", description = "Export name for --run and --print-uri.")
    String exportName = "";

    @Option(names = {"-t", "--threads", "--max-in-flight"}, paramLabel = "N",
            description = "Requests served at once per connection, and so the most in flight (default 16).")
    int threads = 16;

    @Option(names = "--tls", paramLabel = "off|on|require",
            description = "Offer TLS (on), insist on it (require) or refuse it (off).")
    String tls;

    @Option(names = "--tls-certificates", paramLabel = "DIR",
            description = "Directory holding server-cert.pem, server-key.pem and ca-cert.pem.")
    Path tlsCertificates;

    @Option(names = "--tls-verify-peer", description = "Require client certificates signed by ca-cert.pem.")
    boolean tlsVerifyPeer;

    @Option(names = "--tls-psk", paramLabel = "FILE", description = "Not available: the JDK's TLS has no pre-shared keys.")
    String tlsPsk;

    @Option(names = "--max-connections", paramLabel = "N", description = "Most client connections open at once (default 1024).")
    Integer maxConnections;

    @Option(names = "--max-options", paramLabel = "N", description = "Most options one client may send while negotiating (default 10000).")
    Integer maxOptions;

    @Option(names = "--max-payload", paramLabel = "SIZE", description = "Largest read or write one request may carry (default 64M, as nbdkit).")
    String maxPayload;

    @Option(names = "--handshake-timeout", paramLabel = "TIME", description = "Close clients still negotiating after TIME (default 30s; 0: never).")
    String handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "Close connections idle for TIME (default 0: never).")
    String idleTimeout;

    @Option(names = "--metrics", paramLabel = "[ADDR:]PORT|PATH",
            description = "Serve Prometheus metrics over HTTP on PORT (at 127.0.0.1 unless ADDR is given) or on the Unix socket PATH.")
    String metrics;

    @Option(names = "--no-sr", description = "Refuse structured replies.")
    boolean noStructuredReplies;

    @Option(names = "--no-meta-contexts", description = "Refuse metadata contexts (block status).")
    boolean noMetaContexts;

    @Option(names = "--mask-handshake", paramLabel = "MASK", description = "AND-mask applied to the global handshake flags.")
    Integer maskHandshake;

    @Option(names = "--exit-with-parent", description = "Exit when the parent process exits.")
    boolean exitWithParent;

    @Option(names = {"-D", "--debug"}, paramLabel = "NAME.FLAG=N", description = "Set a debug flag.")
    List<String> debugFlags = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Log every request.")
    boolean verbose;

    @Option(names = "--log", paramLabel = "stderr|null", description = "Where log messages go: stderr (the default) or nowhere.")
    String log = "stderr";

    @Option(names = {"-V", "--version"}, description = "Print the version (and the plugin's and filters').")
    boolean version;

    @Option(names = {"-h", "--help"}, description = "Print help (with a plugin: its parameters).")
    boolean help;

    @Option(names = "--dump-config", description = "Print build information and exit.")
    boolean dumpConfig;

    @Option(names = "--dump-plugin", description = "Print the plugin's details and exit.")
    boolean dumpPlugin;

    @Option(names = "--long-options", hidden = true, description = "List the long options, one a line (for shell completion).")
    boolean longOptions;

    @Option(names = "--short-options", hidden = true, description = "List the short options, one a line (for shell completion).")
    boolean shortOptions;

    /** Written by the launcher's background mode: the path to create once the server listens. */
    @Option(names = "--internal-ready-file", hidden = true)
    Path readyFile;

    @Parameters(paramLabel = "PLUGIN [KEY=VALUE ...]", description = "The plugin (a name or a .jar) and its parameters.")
    List<String> words = new ArrayList<>();
}
