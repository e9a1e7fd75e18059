package io.nbd4j.filters.testkit;

import io.nbd4j.client.NbdAddress;
import io.nbd4j.client.NbdClient;
import io.nbd4j.server.LayerStack;
import io.nbd4j.server.NbdServer;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.Plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A filter stack served in-process the way {@code nbd4j} serves it, for tests that drive it with the
 * project's own {@link NbdClient}: the plugin and filters are configured with {@code key=value} words
 * routed as on the command line, readied, and served on a Unix socket in a fresh temporary directory.
 *
 * <pre>{@code
 * try (ServedStack served = ServedStack.of(disk, new FuaFilter()).config("fuamode=native").start();
 *      NbdClient client = served.connect()) {
 *     client.pwrite(new byte[512], 0, CommandFlags.FUA);
 * }
 * }</pre>
 *
 * <p>{@link #close()} disconnects the clients it made, stops the server, unloads the layers and
 * removes the directory. {@link #uri()} is for external clients (nbdsh).
 *
 * <p><b>Threads.</b> Set up and closed by the test's thread; {@link #connect} may be called from any.
 */
public final class ServedStack implements AutoCloseable {
    private final LayerStack layers;
    private final List<String> words = new ArrayList<>();
    private final List<NbdClient> clients = new ArrayList<>();
    private Consumer<NbdServer.Builder> settings = b -> {};
    private Path dir;
    private Path socket;
    private NbdServer server;
    private boolean readied;

    private ServedStack(Plugin plugin, List<Filter> filters) {
        this.layers = new LayerStack(filters, plugin);
    }

    /** The plugin under the filters, given outermost first as {@code --filter} options are. */
    public static ServedStack of(Plugin plugin, Filter... outermostFirst) {
        return new ServedStack(plugin, List.of(outermostFirst));
    }

    /** Command-line words: {@code key=value} parameters (to the layer that declares the key) or the plugin's bare word. */
    public ServedStack config(String... commandLineWords) {
        words.addAll(List.of(commandLineWords));
        return this;
    }

    /** Server settings beyond the defaults, e.g. {@code b -> b.readOnly(true).threads(1)}. */
    public ServedStack server(Consumer<NbdServer.Builder> settings) {
        this.settings = settings;
        return this;
    }

    /** Configures and readies the layers and starts serving; fails as {@code nbd4j} would fail to start. */
    public ServedStack start() throws Exception {
        for (String word : words) {
            layers.configWord(word);
        }
        layers.configComplete();
        layers.getReady();
        readied = true;
        dir = Files.createTempDirectory("nbd4j-kit");
        socket = dir.resolve("sock");
        NbdServer.Builder builder = NbdServer.builder().layers(layers).unixSocket(socket);
        settings.accept(builder);
        try {
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** A client of the default export, negotiated with the client's defaults (structured replies, extended headers). */
    public NbdClient connect() throws IOException {
        return connect(NbdClient.Options.defaults());
    }

    /** A client of {@code exportName}. */
    public NbdClient connect(String exportName) throws IOException {
        return connect(NbdClient.Options.builder().exportName(exportName).build());
    }

    /** A client negotiated as {@code options} say. */
    public NbdClient connect(NbdClient.Options options) throws IOException {
        NbdClient client = NbdClient.connect(NbdAddress.unix(socket), options);
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** Where the stack listens, for {@link io.nbd4j.client.NbdNegotiation} (listing exports, probing). */
    public NbdAddress address() {
        return NbdAddress.unix(socket);
    }

    /** The URI of the default export, for external clients. */
    public String uri() {
        return "nbd+unix:///?socket=" + socket;
    }

    public NbdServer server() {
        return server;
    }

    public LayerStack layers() {
        return layers;
    }

    @Override
    public void close() {
        List<NbdClient> open;
        synchronized (clients) {
            open = List.copyOf(clients);
            clients.clear();
        }
        for (NbdClient c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // the server may have dropped it already, which is what some tests provoke
            }
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (readied) {
            readied = false;
            layers.unload();
        }
        if (dir != null) {
            try {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            dir = null;
        }
    }
}
