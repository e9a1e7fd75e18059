package io.nbd4j.filters.pause;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pause filter's control socket: a Unix socket on which one controller at a time sends single
 * characters: {@code p} pauses (answered {@code P} once the requests inside have finished), {@code r}
 * resumes (answered {@code R}); spaces, tabs and newlines are ignored, anything else is answered
 * {@code X}. The socket file is replaced if it exists, and removed when the filter unloads.
 *
 * <p><b>Threads.</b> Bound on the main thread; one virtual thread accepts and serves controllers one
 * after the other; {@link #close} (main thread) ends it.
 */
final class ControlSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

    private final Path path;
    private final ServerSocketChannel listener;
    private final Gate gate;
    private Thread thread;

    ControlSocket(Path path, Gate gate) throws IOException {
        this.path = path;
        this.gate = gate;
        Files.deleteIfExists(path);
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    void start() {
        thread = Thread.ofVirtual().name("pause-control").start(this::serve);
    }

    private void serve() {
        while (listener.isOpen()) {
            try (SocketChannel controller = listener.accept()) {
                converse(controller);
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.error("pause: control socket: {}", e.toString());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void converse(SocketChannel controller) throws IOException, InterruptedException {
        ByteBuffer in = ByteBuffer.allocate(64);
        while (controller.read(in.clear()) >= 0) {
            in.flip();
            while (in.hasRemaining()) {
                byte answer = switch (in.get()) {
                    case 'p' -> {
                        LOG.debug("pause: pausing, waiting for requests to complete");
                        gate.pause();
                        LOG.debug("pause: paused");
                        yield 'P';
                    }
                    case 'r' -> {
                        gate.resume();
                        LOG.debug("pause: resumed");
                        yield 'R';
                    }
                    case ' ', '\t', '\n' -> 0;
                    default -> 'X';
                };
                if (answer != 0) {
                    controller.write(ByteBuffer.wrap(new byte[] {answer}));
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // unloading anyway
        }
        if (thread != null) {
            thread.interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("pause: cannot remove the control socket {}: {}", path, e.getMessage());
        }
    }
}
