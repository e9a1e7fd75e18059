package io.nbd4j.plugins.ssh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens SFTP sessions to the configured server: one SSH client for the whole server, one authenticated
 * session with its SFTP channel per NBD connection, as nbdkit's ssh plugin does. The server's host key
 * must be in a known-hosts file unless {@code verify-remote-host=false}.
 *
 * <p>Threads: {@link #open} may be called from any number of connection threads at once; the SSH client
 * is thread-safe and started once in the constructor.
 */
final class SftpConnector implements AutoCloseable {
    /** An authenticated session and its SFTP channel; closing it closes both. */
    record Session(ClientSession ssh, SftpClient sftp) implements AutoCloseable {
        @Override
        public void close() {
            try (ClientSession s = ssh) {
                sftp.close();
            } catch (IOException ignored) {
                // The connection is being dropped; nothing more can be done with it.
            }
        }
    }

    private final SshSettings settings;
    private final SshClient client;

    SftpConnector(SshSettings settings) {
        this.settings = settings;
        this.client = SshClient.setUpDefaultClient();
        // Host, port, user and keys come from our parameters alone, never from ~/.ssh/config.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setServerKeyVerifier(verifier(settings));
        client.setKeyIdentityProvider(new FileKeyPairProvider(settings.identities()));
        if (settings.compression()) {
            client.setCompressionFactories(List.of(BuiltinCompressions.delayedZlib, BuiltinCompressions.zlib,
                    BuiltinCompressions.none));
        }
        client.start();
    }

    private static ServerKeyVerifier verifier(SshSettings s) {
        if (!s.verifyRemoteHost()) {
            return AcceptAllServerKeyVerifier.INSTANCE;
        }
        // Each file is asked in turn; a host found in none of them is refused.
        ServerKeyVerifier chain = RejectAllServerKeyVerifier.INSTANCE;
        for (Path file : s.knownHosts().reversed()) {
            chain = new KnownHostsServerKeyVerifier(chain, file);
        }
        return chain;
    }

    /** Connects, authenticates and opens the SFTP channel, or fails with a message naming what went wrong. */
    Session open() throws IOException {
        ClientSession ssh;
        try {
            ssh = client.connect(settings.user(), settings.host(), settings.port())
                    .verify(settings.timeout()).getSession();
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, "ssh: cannot connect to " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        try {
            if (settings.password() != null) {
                ssh.addPasswordIdentity(settings.password());
            }
            ssh.auth().verify(settings.timeout());
            return new Session(ssh, SftpClientFactory.instance().createSftpClient(ssh));
        } catch (IOException e) {
            ssh.close(true);
            throw new NbdException(NbdError.EIO, "ssh: " + settings.user() + "@" + settings.host() + ":"
                    + settings.port() + ": " + explain(e), e);
        }
    }

    private String explain(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Server key did not validate")) {
            return "the server's host key is not in " + (settings.knownHosts().isEmpty() ? "any known-hosts file"
                    : "the known-hosts files " + settings.knownHosts())
                    + " (add it with ssh-keyscan, give known-hosts=, or verify-remote-host=false)";
        }
        if (message.contains("No more authentication methods")) {
            return "authentication failed (password= or identity= was refused, or none was offered)";
        }
        return message;
    }

    @Override
    public void close() {
        client.stop();
    }
}
