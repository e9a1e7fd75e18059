package io.nbd4j.plugins.nbd;

import io.nbd4j.client.NbdAddress;
import io.nbd4j.client.NbdUri;
import io.nbd4j.client.TlsOptions;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nbd plugin's parameters, declared once (for routing and {@code --help}), parsed as they arrive and
 * checked together at the end, with nbdkit's names and rules: exactly one way to reach the server,
 * {@code command=} always shared, {@code dynamic-export=} never shared, TLS on as soon as any TLS
 * parameter is given and required by an {@code nbds} URI.
 *
 * <p>Threads: the main thread only, during configuration.
 */
final class ProxySettings {
    static final Parameter URI = new Parameter("uri", "URI",
            "The server: nbd://HOST[:PORT][/EXPORT], nbds://…, nbd+unix:///[EXPORT]?socket=PATH or nbds+unix://…");
    static final Parameter SOCKET = new Parameter("socket", "PATH", "The server's Unix socket");
    static final Parameter HOSTNAME = new Parameter("hostname", "HOST", "The server's TCP host");
    static final Parameter PORT = new Parameter("port", "PORT", "The server's TCP port, a number or a service name (default 10809)");
    static final Parameter COMMAND = new Parameter("command", "PROGRAM",
            "Run this NBD server with systemd socket activation and connect to it (implies shared=true)");
    static final Parameter ARG = new Parameter("arg", "ARG", "One argument of command= (repeat for more)");
    static final Parameter EXPORT = new Parameter("export", "NAME", "The export to connect to (default \"\")");
    static final Parameter DYNAMIC_EXPORT = new Parameter("dynamic-export", "true|false",
            "Connect to the export each client asks for, and list the server's exports (default false)");
    static final Parameter RETRY = new Parameter("retry", "N", "Try a failing connection N more times, one second apart (default 0)");
    static final Parameter SHARED = new Parameter("shared", "true|false",
            "One upstream connection for all clients, opened at start (default false; true with command=)");
    static final Parameter TLS = new Parameter("tls", "off|on|require",
            "TLS to the server (default off, on if another tls parameter is given, require for nbds URIs)");
    static final Parameter TLS_CERTIFICATES = new Parameter("tls-certificates", "DIR",
            "ca-cert.pem to check the server, client-cert.pem and client-key.pem to present (default: system trust)");
    static final Parameter TLS_VERIFY = new Parameter("tls-verify", "true|false",
            "Check the server's certificate and name (default true)");
    static final Parameter TLS_USERNAME = new Parameter("tls-username", "NAME", "Not supported: the identity is client-cert.pem's");
    static final Parameter TLS_PSK = new Parameter("tls-psk", "FILE", "Not supported: the JDK has no TLS-PSK");
    static final Parameter VSOCK = new Parameter("vsock", "CID", "Not supported: the JDK has no AF_VSOCK sockets");
    static final Parameter SOCKET_FD = new Parameter("socket-fd", "FD", "Not supported: the JDK cannot adopt an inherited socket");

    static final List<Parameter> ALL = List.of(URI, SOCKET, HOSTNAME, PORT, COMMAND, ARG, EXPORT, DYNAMIC_EXPORT,
            RETRY, SHARED, TLS, TLS_CERTIFICATES, TLS_VERIFY, TLS_USERNAME, TLS_PSK, VSOCK, SOCKET_FD);

    private NbdUri uri;
    private Path socket;
    private String hostname;
    private Integer port;
    private String command;
    private final List<String> args = new ArrayList<>();
    private String export;
    private boolean dynamicExport;
    private int retries;
    private Boolean shared;
    private String tlsMode;
    private Path tlsCertificates;
    private Boolean tlsVerify;

    void config(String key, String value) throws ConfigException {
        switch (canonicalKey(key)) {
            case "uri" -> uri = parseUri(value);
            case "socket" -> socket = Path.of(value);
            case "hostname" -> hostname = value;
            case "port" -> port = parsePort(value);
            case "command" -> command = value;
            case "arg" -> args.add(value);
            case "export" -> export = value;
            case "dynamic-export" -> dynamicExport = Values.parseBool(key, value);
            case "retry" -> retries = parseRetries(value);
            case "shared" -> shared = Values.parseBool(key, value);
            case "tls" -> tlsMode = Values.parseChoice(key, value, "off", "on", "require");
            case "tls-certificates" -> tlsCertificates = Path.of(value);
            case "tls-verify" -> tlsVerify = Values.parseBool(key, value);
            case "tls-username" -> throw new ConfigException("nbd: tls-username is not supported: the JDK presents"
                    + " the identity of client-cert.pem in tls-certificates=DIR");
            case "tls-psk" -> throw new ConfigException("nbd: tls-psk is not supported: the JDK has no TLS-PSK;"
                    + " use X.509 certificates (tls-certificates=DIR)");
            case "vsock" -> throw new ConfigException("nbd: vsock is not supported: the JDK has no AF_VSOCK sockets");
            case "socket-fd" -> throw new ConfigException("nbd: socket-fd is not supported: the JDK cannot adopt an"
                    + " inherited socket; use socket=PATH or command=");
            default -> throw new ConfigException("nbd: unknown parameter '" + key + "'");
        }
    }

    private static String canonicalKey(String key) {
        for (Parameter p : ALL) {
            if (p.matches(key)) {
                return p.key();
            }
        }
        return key;
    }

    private static NbdUri parseUri(String value) throws ConfigException {
        try {
            return NbdUri.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("nbd: uri: " + e.getMessage(), e);
        }
    }

    private static int parseRetries(String value) throws ConfigException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted form
        }
        throw new ConfigException("nbd: retry: expected a number of retries from 0 up, not '" + value + "'");
    }

    /** A port number, or a service name from {@code /etc/services} as getservbyname would find it. */
    private static int parsePort(String value) throws ConfigException {
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            int number = text.length() > 5 ? -1 : Integer.parseInt(text);
            if (number < 1 || number > 65535) {
                throw new ConfigException("nbd: port: expected 1 to 65535 or a service name, not '" + value + "'");
            }
            return number;
        }
        Integer found = servicePort(text);
        if (found == null) {
            throw new ConfigException("nbd: port: '" + value + "' is neither a number nor a TCP service in /etc/services");
        }
        return found;
    }

    private static Integer servicePort(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/services"), StandardCharsets.UTF_8)) {
                String[] words = line.replaceFirst("#.*", "").trim().split("\\s+");
                if (words.length >= 2 && words[1].endsWith("/tcp")) {
                    boolean named = words[0].equals(name);
                    for (int i = 2; i < words.length && !named; i++) {
                        named = words[i].equals(name);
                    }
                    if (named) {
                        return Integer.parseInt(words[1].substring(0, words[1].indexOf('/')));
                    }
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // no services database: only numbers work
        }
        return null;
    }

    /** Checks the parameters together and settles the defaults; call once, after the last {@link #config}. */
    Resolved resolve() throws ConfigException {
        int ways = (uri != null ? 1 : 0) + (socket != null ? 1 : 0) + (hostname != null ? 1 : 0) + (command != null ? 1 : 0);
        if (ways != 1) {
            throw new ConfigException("nbd: give exactly one of uri=, socket=, hostname= or command= (got " + ways + ")");
        }
        if (port != null && hostname == null) {
            throw new ConfigException("nbd: port= goes with hostname= only");
        }
        if (!args.isEmpty() && command == null) {
            throw new ConfigException("nbd: arg= goes with command= only");
        }
        if (export != null && uri != null) {
            throw new ConfigException("nbd: export= cannot be combined with uri=: put the export name in the URI");
        }
        if (dynamicExport && export != null) {
            throw new ConfigException("nbd: dynamic-export=true cannot be combined with export=");
        }
        boolean sharing = shared != null ? shared : command != null;
        if (command != null && !sharing) {
            throw new ConfigException("nbd: command= always shares one connection; shared=false cannot be used with it");
        }
        if (dynamicExport && sharing) {
            throw new ConfigException("nbd: dynamic-export=true needs a connection per client, so it cannot be used with "
                    + (command != null ? "command=" : "shared=true"));
        }
        String exportName = uri != null ? uri.exportName() : export == null ? "" : export;
        return new Resolved(address(), command == null ? List.of() : commandLine(), exportName, dynamicExport, sharing,
                tls(), retries);
    }

    private NbdAddress address() {
        if (uri != null) {
            return uri.address();
        }
        if (socket != null) {
            return NbdAddress.unix(socket);
        }
        if (hostname != null) {
            return NbdAddress.tcp(hostname, port == null ? NbdAddress.DEFAULT_PORT : port);
        }
        return null;   // command=: the address exists once the command runs
    }

    private List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(command);
        line.addAll(args);
        return List.copyOf(line);
    }

    private TlsOptions tls() throws ConfigException {
        boolean anyTlsParameter = tlsCertificates != null || tlsVerify != null;
        String mode = tlsMode != null ? tlsMode : anyTlsParameter ? "on" : "off";
        if (uri != null && uri.tls()) {
            if (mode.equals("off") && tlsMode != null) {
                throw new ConfigException("nbd: tls=off contradicts the nbds URI, which requires TLS");
            }
            mode = "require";
        }
        if (mode.equals("off")) {
            return TlsOptions.off();
        }
        if (tlsCertificates != null && !Files.isDirectory(tlsCertificates)) {
            throw new ConfigException("nbd: tls-certificates: " + tlsCertificates + " is not a directory");
        }
        try {
            return TlsOptions.fromCertificates(TlsOptions.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), tlsCertificates,
                    tlsVerify == null || tlsVerify);
        } catch (IOException e) {
            throw new ConfigException("nbd: " + e.getMessage(), e);
        }
    }

    /**
     * The settled configuration.
     *
     * @param address       the server's address, or null when {@code command} provides it
     * @param command       the program and its arguments for {@code command=}, else empty
     * @param exportName    the export to connect to unless {@code dynamicExport}
     * @param dynamicExport connect to the export each client asks for
     * @param shared        one connection for every client
     */
    record Resolved(NbdAddress address, List<String> command, String exportName, boolean dynamicExport,
                    boolean shared, TlsOptions tls, int retries) {
        Upstream upstream(NbdAddress at, ConnectionCounts counts) {
            return new Upstream(at, tls, retries, counts);
        }
    }
}
