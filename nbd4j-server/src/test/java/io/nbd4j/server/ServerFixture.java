package io.nbd4j.server;

import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Plugin;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.List;

/**
 * The server of one test, and its in-memory clients: register it with
 * {@code @RegisterExtension final ServerFixture fixture = new ServerFixture();}, start a server from a
 * builder, connect {@link TestClient}s to it, and the fixture closes the server after the test.
 * The static methods build configured, ready layer stacks and servers without listeners.
 *
 * <p>Used by the test's own thread.
 */
final class ServerFixture implements AfterEachCallback {
    private NbdServer server;

    static LayerStack stack(Plugin plugin, Filter... filters) throws Exception {
        LayerStack stack = new LayerStack(List.of(filters), plugin);
        stack.configComplete();
        stack.getReady();
        return stack;
    }

    static NbdServer.Builder builder(Plugin plugin, Filter... filters) throws Exception {
        return NbdServer.builder().layers(stack(plugin, filters));
    }

    /** Starts the server {@code builder} describes, after closing the one started before, if any. */
    NbdServer start(NbdServer.Builder builder) throws IOException {
        stop();
        server = builder.start();
        return server;
    }

    /** Starts the server {@code builder} describes and connects a client to it. */
    TestClient connect(NbdServer.Builder builder) throws IOException {
        start(builder);
        return client();
    }

    /** A new in-memory client of the server started last. */
    TestClient client() throws IOException {
        return TestClient.connect(server());
    }

    NbdServer server() {
        if (server == null) {
            throw new IllegalStateException("no server was started");
        }
        return server;
    }

    /** Closes the server, which waits for its connections to end; idempotent. */
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }
}
