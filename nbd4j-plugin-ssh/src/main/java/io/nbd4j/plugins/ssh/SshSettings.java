package io.nbd4j.plugins.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The ssh plugin's parameters once checked. Immutable; {@link #toString()} leaves the password out.
 *
 * @param host             the SSH server
 * @param port             its port
 * @param user             the remote user
 * @param path             the remote file, relative to the user's home directory unless absolute
 * @param password         the password, or null for public-key authentication only
 * @param identities       private key files to offer, in order
 * @param knownHosts       known-hosts files to check the server's key against, in order
 * @param verifyRemoteHost whether the server's key must be in a known-hosts file
 * @param createSize       the size of a file to create (replacing any), or -1 to use an existing file
 * @param createMode       permissions of a created file
 * @param timeout          how long connecting and authenticating may take
 * @param compression      whether to ask for zlib compression
 */
record SshSettings(String host, int port, String user, String path, String password, List<Path> identities,
                   List<Path> knownHosts, boolean verifyRemoteHost, long createSize, int createMode,
                   Duration timeout, boolean compression) {
    SshSettings {
        identities = List.copyOf(identities);
        knownHosts = List.copyOf(knownHosts);
    }

    boolean create() {
        return createSize >= 0;
    }

    /** user@host:port/path, for messages. */
    String where() {
        return user + "@" + host + ":" + port + " " + path;
    }

    @Override
    public String toString() {
        return "SshSettings[" + where() + (password != null ? ", with a password" : "") + "]";
    }
}
