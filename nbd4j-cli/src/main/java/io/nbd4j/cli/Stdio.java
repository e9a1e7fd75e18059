package io.nbd4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The server's own stdin and stdout, which are not always the JVM's to use.
 *
 * <p>With {@code -s} they carry the NBD connection (the server reads and writes them through
 * {@link java.io.FileDescriptor}, not through {@code System.in} and {@code System.out}). A plugin
 * reading {@code System.in} ({@code sh -} reads its script there) would swallow the client's bytes, and
 * a stray {@code System.out.println} would corrupt the replies, so {@link #reserveForClient} makes every
 * read of {@code System.in} fail with a message naming {@code -s} and sends {@code System.out} to
 * stderr. nbdkit refuses {@code sh -} with {@code -s} the same way.
 *
 * <p>A detached server is started with the launcher's stdin, because configuration may read it, and
 * {@link #release} closes it once the layers are configured, as nbdkit does when it forks.
 *
 * <p>Called from the main thread before serving starts.
 */
final class Stdio {
    private Stdio() {}

    static void reserveForClient(PrintStream err) {
        System.setIn(new ReservedStdin());
        System.setOut(err);
    }

    /** Closes stdin (file descriptor 0); {@code FileDescriptor.in} is invalid afterwards, so nothing can reach a reused 0. */
    static void release() {
        try {
            System.in.close();
        } catch (IOException ignored) {
            // Nothing was read from it and nothing will be: a failed close leaves only an idle descriptor.
        }
    }

    private static final class ReservedStdin extends InputStream {
        @Override
        public int read() throws IOException {
            throw new IOException("stdin carries the NBD connection (-s), so nothing else can be read from it");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return read();
        }
    }
}
