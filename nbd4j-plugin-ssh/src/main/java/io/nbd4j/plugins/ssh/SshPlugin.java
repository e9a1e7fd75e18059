package io.nbd4j.plugins.ssh;

import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;
import io.nbd4j.spi.Values;
import org.apache.sshd.common.config.VersionProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ssh} plugin: serves a file on an SSH server over SFTP. See the package documentation.
 *
 * <p>Threads: configuration and {@link #getReady} run on the main thread; {@link #open} runs on
 * connection threads and only reads the settings and the connector, fixed by then.
 */
public final class SshPlugin implements Plugin {
    private static final int DEFAULT_PORT = 22;
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    static {
        // -v turns every logger to debug; MINA's protocol traces would drown ours.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.apache.sshd", "warn");
    }

    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("host", "HOST", "the SSH server (required)"),
            new Parameter("path", "PATH", "the remote file, relative to the home directory unless absolute (required; the magic key)"),
            new Parameter("port", "PORT", "the SSH port (default 22)"),
            new Parameter("user", "USER", "the remote user (default: the local user)"),
            new Parameter("password", "PASSWORD|-|+FILE|-FD", "a password; - asks for it, +FILE and -FD read it (safer than the command line)"),
            new Parameter("identity", "FILE", "a private key to offer, before ~/.ssh/id_ed25519, id_ecdsa and id_rsa (may be repeated)"),
            new Parameter("known-hosts", "FILE", "the known-hosts file to check the server's key in (default ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts)"),
            new Parameter("verify-remote-host", "true|false", "false accepts any host key (open to man-in-the-middle attacks)"),
            new Parameter("create", "true|false", "create (or replace) the remote file when the server starts; needs create-size="),
            new Parameter("create-size", "SIZE", "the size of the file create=true makes (sparse)"),
            new Parameter("create-mode", "MODE", "octal permissions of the created file (default 0600)"),
            new Parameter("timeout", "SECS", "how long connecting and authenticating may take (default " + DEFAULT_TIMEOUT_SECONDS + ")"),
            new Parameter("compression", "true|false", "ask the server for zlib compression (only for slow links)"));

    private String host;
    private String path;
    private int port = DEFAULT_PORT;
    private String user = System.getProperty("user.name");
    private String password;
    private final List<Path> identities = new ArrayList<>();
    private final List<Path> knownHosts = new ArrayList<>();
    private boolean verifyRemoteHost = true;
    private boolean create;
    private long createSize = -1;
    private int createMode = 0600;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private boolean compression;

    private SshSettings settings;
    private SftpConnector connector;

    @Override public String name() { return "ssh"; }
    @Override public String description() { return "a file on an SSH server, over SFTP"; }
    @Override public List<Parameter> parameters() { return PARAMETERS; }
    @Override public String magicConfigKey() { return "path"; }
    @Override public ThreadModel threadModel() { return ThreadModel.PARALLEL; }

    @Override
    public void config(String key, String value) throws ConfigException {
        switch (key) {
            case "host" -> host = nonEmpty(key, value);
            case "path" -> path = nonEmpty(key, value);
            case "port" -> port = number(key, value, 1, 65535);
            case "user" -> user = nonEmpty(key, value);
            case "password" -> password = PasswordSource.read(value);
            case "identity" -> identities.add(Path.of(nonEmpty(key, value)).toAbsolutePath());
            case "known-hosts" -> knownHosts.add(Path.of(nonEmpty(key, value)).toAbsolutePath());
            case "verify-remote-host" -> verifyRemoteHost = Values.parseBool(key, value);
            case "create" -> create = Values.parseBool(key, value);
            case "create-size" -> createSize = Values.parseSize(key, value);
            case "create-mode" -> createMode = mode(value);
            case "timeout" -> timeoutSeconds = number(key, value, 1, 3600);
            case "compression" -> compression = Values.parseBool(key, value);
            default -> throw new ConfigException("ssh: unknown parameter '" + key + "' (accepted: host, path, port, user, "
                    + "password, identity, known-hosts, verify-remote-host, create, create-size, create-mode, timeout, compression)");
        }
    }

    private static String nonEmpty(String key, String value) throws ConfigException {
        if (value.isEmpty()) {
            throw new ConfigException("ssh: " + key + "= must not be empty");
        }
        return value;
    }

    private static int number(String key, String value, int min, int max) throws ConfigException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("ssh: " + key + "=" + value + " must be a number from " + min + " to " + max);
        }
    }

    private static int mode(String value) throws ConfigException {
        try {
            int mode = Integer.parseInt(value.strip(), 8);
            if (mode < 0 || mode > 07777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw new ConfigException("ssh: create-mode=" + value + " is not an octal mode such as 0600 or 0644");
        }
    }

    @Override
    public void configComplete() throws ConfigException {
        if (host == null || path == null) {
            throw new ConfigException("ssh: host= and path= are required (e.g. ssh host=server.example.com disk.img)");
        }
        if (create != (createSize >= 0)) {
            throw new ConfigException("ssh: create=true and create-size= must be given together");
        }
        if (user == null || user.isEmpty()) {
            throw new ConfigException("ssh: the local user name is unknown: give user=");
        }
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> keys = new ArrayList<>(identities);
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path key = home.resolve(name);
            if (Files.isReadable(key) && !keys.contains(key)) {
                keys.add(key);
            }
        }
        List<Path> hosts = !knownHosts.isEmpty() ? knownHosts
                : List.of(home.resolve("known_hosts"), Path.of("/etc/ssh/ssh_known_hosts"));
        settings = new SshSettings(host, port, user, path, password, keys, hosts, verifyRemoteHost,
                create ? createSize : -1, createMode, Duration.ofSeconds(timeoutSeconds), compression);
    }

    /**
     * Connects once at start, so that an unreachable server, a refused host key or a refused login shows
     * before clients come, and creates the file when asked.
     */
    @Override
    public void getReady(ThreadModel effective) throws Exception {
        connector = new SftpConnector(settings);
        try (SftpConnector.Session session = connector.open()) {
            if (settings.create()) {
                try (SftpClient.CloseableHandle file = session.sftp().open(settings.path(),
                        EnumSet.of(OpenMode.Create, OpenMode.Truncate, OpenMode.Write))) {
                    session.sftp().setStat(file, new SftpClient.Attributes().perms(settings.createMode()));
                    session.sftp().setStat(file, new SftpClient.Attributes().size(settings.createSize()));
                }
            } else {
                session.sftp().stat(settings.path());
            }
        } catch (IOException e) {
            connector.close();
            throw new ConfigException(e.getMessage().startsWith("ssh: ") ? e.getMessage()
                    : "ssh: " + settings.where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        SftpConnector.Session session = connector.open();
        try {
            EnumSet<OpenMode> modes = request.readOnly() ? EnumSet.of(OpenMode.Read) : EnumSet.of(OpenMode.Read, OpenMode.Write);
            return new SftpHandle(session, session.sftp().open(settings.path(), modes), settings.path(), request.readOnly());
        } catch (IOException e) {
            session.close();
            throw new IOException("ssh: cannot open " + settings.where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unload() {
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    public Map<String, String> dump() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("ssh_library", "Apache MINA SSHD " + VersionProperties.getVersionProperties().getOrDefault("sshd-version", "(unknown version)"));
        return lines;
    }
}
