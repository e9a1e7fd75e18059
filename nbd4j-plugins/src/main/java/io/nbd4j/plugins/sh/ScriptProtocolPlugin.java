package io.nbd4j.plugins.sh;

import io.nbd4j.spi.Export;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Plugin;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A plugin answered by scripts through a {@link ScriptProtocol}: the {@code sh} and {@code eval}
 * plugins. They differ only in how configuration finds the scripts; once the subclass has handed over
 * its protocol ({@link #useProtocol}), every later method is the protocol's.
 *
 * <p><b>Threads.</b> The protocol is set during configuration on the main thread and never changed;
 * connection threads only use it once serving has started.
 */
public abstract class ScriptProtocolPlugin implements Plugin {
    private ScriptProtocol protocol;

    /** Called once, during configuration, when the scripts are known. */
    protected final void useProtocol(ScriptProtocol protocol) {
        this.protocol = protocol;
    }

    /** The protocol, or {@code null} before configuration has set one. */
    protected final ScriptProtocol protocol() {
        return protocol;
    }

    /** Keys the plugin does not declare itself go to the scripts' {@code config} method. */
    @Override
    public final boolean acceptsUndeclaredKeys() {
        return true;
    }

    /** The scripts' {@code thread_model} answer; {@code parallel} before any script is known, as in nbdkit. */
    @Override
    public ThreadModel threadModel() {
        return protocol == null ? ThreadModel.PARALLEL : protocol.threadModel();
    }

    @Override
    public void getReady(ThreadModel effective) throws IOException {
        protocol.getReady();
    }

    @Override
    public void preconnect(boolean readOnly) throws IOException {
        protocol.preconnect(readOnly);
    }

    @Override
    public List<Export> listExports(boolean readOnly, boolean tls) throws IOException {
        return protocol.listExports(readOnly, tls);
    }

    @Override
    public String defaultExport(boolean readOnly, boolean tls) throws IOException {
        return protocol.defaultExport(readOnly, tls);
    }

    @Override
    public Handle open(OpenRequest request) throws IOException {
        return protocol.open(request);
    }

    /** Runs the {@code unload} method, then removes {@code $tmpdir} with everything in it. */
    @Override
    public void unload() {
        if (protocol != null) {
            protocol.unload();
        }
    }

    @Override
    public Map<String, String> dump() {
        return protocol == null
                ? Map.of("max_known_status", Integer.toString(ScriptProtocol.MAX_KNOWN_STATUS))
                : protocol.dump();
    }
}
