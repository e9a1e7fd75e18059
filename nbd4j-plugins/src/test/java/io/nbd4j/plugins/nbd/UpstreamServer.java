package io.nbd4j.plugins.nbd;

import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** An nbd4j server in this JVM on a Unix socket, for the proxy to connect to. Closed by the test that started it. */
final class UpstreamServer implements AutoCloseable {
    private final NbdServer server;
    final Path socket;

    private UpstreamServer(NbdServer server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    static UpstreamServer start(Plugin plugin, Path socket) throws Exception {
        LayerStack stack = new LayerStack(List.of(), plugin);
        stack.configComplete();
        stack.getReady();
        return new UpstreamServer(NbdServer.builder().layers(stack).unixSocket(socket).start(), socket);
    }

    String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
