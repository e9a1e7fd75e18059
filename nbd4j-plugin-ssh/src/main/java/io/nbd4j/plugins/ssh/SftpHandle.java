package io.nbd4j.plugins.ssh;

import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.Handle;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One NBD connection's open remote file: reads and writes are SFTP requests at offsets, in pieces an
 * OpenSSH server accepts; flush is {@code fsync@openssh.com} where the server offers it.
 *
 * <p>Threads: the server may call from several request threads at once. The SFTP client matches replies
 * to requests by id, so positional requests may overlap; each call uses its own copy buffer.
 */
final class SftpHandle implements Handle {
    /** OpenSSH's sftp-server accepts messages up to 256 KiB; reads and writes stay well below. */
    private static final int PIECE = 64 * 1024;

    private final SftpConnector.Session session;
    private final SftpClient.CloseableHandle file;
    private final boolean readOnly;
    private final OpenSSHFsyncExtension fsync;
    private final String path;

    SftpHandle(SftpConnector.Session session, SftpClient.CloseableHandle file, String path, boolean readOnly) {
        this.session = session;
        this.file = file;
        this.path = path;
        this.readOnly = readOnly;
        OpenSSHFsyncExtension extension = session.sftp().getExtension(OpenSSHFsyncExtension.class);
        this.fsync = extension != null && extension.isSupported() ? extension : null;
    }

    @Override
    public long size() throws IOException {
        return session.sftp().stat(file).getSize();
    }

    @Override public boolean canWrite() { return !readOnly; }
    @Override public boolean canFlush() { return fsync != null; }

    @Override
    public void pread(ByteBuffer buffer, long offset, int flags) throws IOException {
        byte[] piece = new byte[Math.min(PIECE, buffer.remaining())];
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = session.sftp().read(file, at, piece, 0, Math.min(piece.length, buffer.remaining()));
            if (n <= 0) {
                throw new NbdException(NbdError.EIO, "ssh: " + path + ": the file ended at " + at
                        + " (it shrank while being served?)");
            }
            buffer.put(piece, 0, n);
            at += n;
        }
    }

    @Override
    public void pwrite(ByteBuffer buffer, long offset, int flags) throws IOException {
        byte[] piece = new byte[Math.min(PIECE, buffer.remaining())];
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = Math.min(piece.length, buffer.remaining());
            buffer.get(piece, 0, n);
            session.sftp().write(file, at, piece, 0, n);
            at += n;
        }
    }

    @Override
    public void flush(int flags) throws IOException {
        if (fsync == null) {
            throw new NbdException(NbdError.EINVAL, "ssh: the server does not offer fsync@openssh.com");
        }
        fsync.fsync(file);
    }

    @Override
    public void close() {
        try (SftpConnector.Session s = session) {
            file.close();
        } catch (IOException ignored) {
            // The session closes next, which releases the remote handle anyway.
        }
    }
}
