package io.nbd4j.filters.tlsfallback;

import io.nbd4j.spi.BelowAnswer;
import io.nbd4j.spi.ConfigException;
import io.nbd4j.spi.Export;
import io.nbd4j.spi.Filter;
import io.nbd4j.spi.FilterHandle;
import io.nbd4j.spi.Handle;
import io.nbd4j.spi.NextOpener;
import io.nbd4j.spi.OpenRequest;
import io.nbd4j.spi.Parameter;
import io.nbd4j.spi.ThreadModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --filter=tls-fallback}: serves plaintext clients a short read-only message instead of the
 * plugin, and TLS clients the plugin (see the package documentation).
 *
 * <p><b>Threads.</b> Configured on the main thread; the message is immutable afterwards.
 */
public final class TlsFallbackFilter implements Filter {
    static final String DEFAULT_MESSAGE = "This NBD server requires TLS authentication before it will serve useful data.\n";

    private byte[] content = padded(DEFAULT_MESSAGE);

    @Override
    public String name() {
        return "tls-fallback";
    }

    @Override
    public String description() {
        return "serve plaintext clients a message instead of the plugin";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("tlsreadme", "MESSAGE", "what plaintext clients read (at most 512 bytes; default: TLS is required)"));
    }

    @Override
    public void config(String key, String value) throws ConfigException {
        if (!key.equals("tlsreadme")) {
            throw new ConfigException(name() + ": unknown parameter '" + key + "'");
        }
        content = padded(value);
    }

    /** The message's first 512 bytes, NUL-padded to 512, as nbdkit's {@code strncpy} leaves them. */
    static byte[] padded(String message) {
        return Arrays.copyOf(message.getBytes(StandardCharsets.UTF_8), ReadmeHandle.SIZE);
    }

    /** A plaintext client holding its connection must not starve the TLS ones. */
    @Override
    public void getReady(ThreadModel effective) throws ConfigException {
        if (effective == ThreadModel.SERIALIZE_CONNECTIONS) {
            throw new ConfigException("tls-fallback: the filter needs connections served in parallel, "
                    + "but the thread model is serialize_connections");
        }
    }

    /** A plaintext client's listing never reaches the plugin, whose exports may be secret. */
    @Override
    public List<Export> listExportsLazily(boolean readOnly, boolean tls, BelowAnswer<List<Export>> below) throws IOException {
        return tls ? below.get() : List.of(new Export(""));
    }

    @Override
    public String defaultExportLazily(boolean readOnly, boolean tls, BelowAnswer<String> below) throws IOException {
        return tls ? below.get() : "";
    }

    @Override
    public Handle open(OpenRequest request, NextOpener below) throws IOException {
        if (!request.tls()) {
            return new ReadmeHandle(content);
        }
        return new FilterHandle(below.open(request));
    }
}
