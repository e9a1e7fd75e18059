package io.nbd4j.plugins.nbd;

import io.nbd4j.client.ExportEntry;
import io.nbd4j.client.NbdClient;
import io.nbd4j.client.NbdNegotiation;
import io.nbd4j.client.NbdOptionException;
import io.nbd4j.protocol.Info;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NbdError;
import io.nbd4j.spi.NbdException;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ServerControl;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nbd}: forwards every client to another NBD server, through {@link NbdClient}. By default each
 * client connection gets its own upstream connection, opened when the client connects (so multi-conn
 * means what the upstream says it means); {@code shared=true} and {@code command=} use one connection,
 * opened at start, for everyone.
 *
 * <p>Threads: configured on the main thread; {@link #open}, {@link #listExports} and
 * {@link #defaultExport} run on connection threads at once. The resolved settings never change after
 * {@link #configComplete}; the shared connection guards itself.
 */
public final class NbdPlugin implements Plugin {
    private final ProxySettings parameters = new ProxySettings();
    private ProxySettings.Resolved settings;
    private ActivatedCommand command;
    private Upstream upstream;
    private SharedConnection shared;
    private final ConnectionCounts counts = new ConnectionCounts();

    @Override
    public String name() {
        return "nbd";
    }

    @Override
    public String description() {
        return "proxy to another NBD server (TCP, Unix socket, TLS, or a command started with socket activation)";
    }

    @Override
    public String magicConfigKey() {
        return ProxySettings.URI.key();
    }

    @Override
    public List<Parameter> parameters() {
        return ProxySettings.ALL;
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        parameters.config(key, value);
    }

    @Override
    public void configComplete() throws ConfigException {
        settings = parameters.resolve();
    }

    @Override
    public ThreadModel threadModel() {
        return ThreadModel.PARALLEL;
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        if (!settings.command().isEmpty()) {
            command = ActivatedCommand.start(settings.command());
            upstream = settings.upstream(command.address(), counts);
        } else {
            upstream = settings.upstream(settings.address(), counts);
        }
        if (settings.shared()) {
            shared = new SharedConnection(upstream, settings.exportName());
            try {
                shared.acquire();
            } catch (IOException e) {
                throw new IOException("nbd: cannot connect to " + upstream.address() + ": " + e.getMessage()
                        + (command != null && command.exitStatus() != null ? " (the command ended with " + command.exitStatus() + ")" : ""), e);
            }
        }
    }

    @Override
    public void afterStart(ServerControl server) {
        counts.publishTo(server.metrics());
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        if (shared != null) {
            return new ProxyHandle(connected(shared::acquire), false, true);
        }
        String exportName = settings.dynamicExport() ? request.exportName() : settings.exportName();
        NbdClient client = connected(() -> upstream.connect(exportName));
        return new ProxyHandle(client, true, client.canMultiConn());
    }

    private interface Connecting {
        NbdClient connect() throws IOException;
    }

    /** A client that cannot be served because the upstream is unreachable is refused with a reason. */
    private NbdClient connected(Connecting connecting) throws IOException {
        try {
            return connecting.connect();
        } catch (NbdException e) {
            throw e;
        } catch (IOException e) {
            throw new NbdException(NbdError.EIO, "nbd: cannot connect to " + upstream.address() + ": " + e.getMessage(), e);
        }
    }

    /** With dynamic exports, the upstream's list; otherwise the one export every client gets. */
    @Override
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        if (!settings.dynamicExport()) {
            return Plugin.super.listExports(readOnly, tls);
        }
        try (NbdNegotiation negotiation = upstream.negotiate()) {
            List<Export> exports = new ArrayList<>();
            for (ExportEntry entry : negotiation.list()) {
                exports.add(new Export(entry.name(), entry.description().isEmpty() ? null : entry.description()));
            }
            return exports;
        }
    }

    /** With dynamic exports, the upstream's canonical name for its default export (null if it has none). */
    @Override
    public String defaultExport(boolean readOnly, boolean tls) throws IOException {
        if (!settings.dynamicExport()) {
            return Plugin.super.defaultExport(readOnly, tls);
        }
        try (NbdNegotiation negotiation = upstream.negotiate()) {
            return negotiation.info("", List.of(Info.NAME)).name();
        } catch (NbdOptionException refused) {
            return null;
        }
    }

    @Override
    public void unload() {
        if (shared != null) {
            shared.close();
        }
        if (command != null) {
            command.close();
        }
    }

    @Override
    public Map<String, String> dump() {
        Map<String, String> lines = new LinkedHashMap<>();
        // The names nbdkit's plugin prints for what its libnbd offers, which scripts probe for.
        lines.put("libnbd_tls", "1");
        lines.put("libnbd_uri", "1");
        lines.put("libnbd_vsock", "0");
        lines.put("libnbd_dynamic_list", "1");
        return lines;
    }
}
