package io.nbd4j.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a test server, which a test can make misbehave: {@link Mode#REFUSE}
 * resets every connection at once, {@link Mode#STALL} accepts connections and never answers. Changing the
 * mode cuts the connections already open, so a client's pooled connections meet the fault too.
 *
 * <p>Threads: one virtual thread accepts, two per forwarded connection copy bytes; {@link #mode} may be
 * changed from any thread.
 */
final class FaultyProxy implements AutoCloseable {
    enum Mode { FORWARD, REFUSE, STALL }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    FaultyProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("faulty-proxy-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    void mode(Mode newMode) {
        mode = newMode;
        open.forEach(FaultyProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            switch (mode) {
                case REFUSE -> reset(client);
                case STALL -> open.add(client);
                case FORWARD -> forward(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        } catch (IOException e) {
            reset(client);
            return;
        }
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException cut) {
            // One side went away or the mode changed: close both.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Closing without linger still refuses the request.
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing the listener stops the accept loop either way.
        }
        mode(Mode.FORWARD);
    }
}
